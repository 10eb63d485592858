"""The program directory: every program and resource the routing can recommend, with the
verification status, source and check date of each fact that matters for a referral."""
