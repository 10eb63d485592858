"""The package has no import cycle (the shell once had ui/app -> ui/main_window -> ui/call/page
-> ui/app), counting imports inside functions too."""

from __future__ import annotations

import grimp


def test_no_module_of_the_package_imports_itself_back() -> None:
    graph = grimp.build_graph("intake")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == module or not imported.startswith("intake"):
                continue
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append((module, *back))
    assert cycles == []
    assert len(graph.modules) > 80  # the scan really looked at the package
