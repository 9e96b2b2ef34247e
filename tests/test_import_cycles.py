"""No module of ivr imports itself back through others (issue 18): a cycle hides which module
depends on which (fastpath <-> webhook and flow <-> texting once were such)."""

import grimp


def strongly_connected(graph):
    """Tarjan's components of more than one module (each one an import cycle)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_the_package_has_no_import_cycle():
    imports = grimp.build_graph("ivr")
    graph = {m: {o for o in imports.find_modules_directly_imported_by(m) if o.startswith("ivr")}
             for m in imports.modules if m.startswith("ivr")}
    assert len(graph) > 100
    assert strongly_connected(graph) == []


def test_a_cycle_would_be_found():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c"]]
