import sys

from intake.i18n import tools

USAGE = "usage: python -m intake.i18n {update|compile|check}"


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in {"update", "compile", "check"}:
        print(USAGE, file=sys.stderr)
        return 2
    command = argv[0]
    if command == "compile":
        tools.compile_all()
        return 0
    problems = tools.update() if command == "update" else tools.check()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} catalog problem(s): translate them in the .po file.")
    return 1 if problems else 0


sys.exit(main(sys.argv[1:]))
