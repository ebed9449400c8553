"""Documentation made from the code, so it can't drift from it.

``.. order-workflow::`` draws the order workflow (states, and transitions as
arrows) from the DCWorkflow definition the add-on installs, and tables its
states and transitions. ``.. shop-settings::`` tables the shop settings'
schema: every field, its type, default and help text.
"""

from docutils import nodes
from docutils.parsers.rst import Directive
from pathlib import Path
from sphinx.ext.graphviz import graphviz
from xml.etree import ElementTree


DEFINITION = (
    Path(__file__).parents[2]
    / "src/getpaid/orders/profiles/default/workflows/getpaid_order_workflow"
    / "definition.xml"
)


def read_workflow(path: Path = DEFINITION) -> tuple[dict, dict, str]:
    """(states, transitions, initial state id) of a DCWorkflow definition.

    states: id -> {"title", "description", "exits": [transition ids]}
    transitions: id -> {"title", "description", "new_state", "guard"}
    """
    root = ElementTree.parse(path).getroot()
    states = {
        state.get("state_id"): {
            "title": state.get("title"),
            "description": (state.findtext("description") or "").strip(),
            "exits": [e.get("transition_id") for e in state.findall("exit-transition")],
        }
        for state in root.findall("state")
    }
    transitions = {}
    for transition in root.findall("transition"):
        guard = transition.find("guard")
        if guard is None:
            guard = ElementTree.Element("guard")
        roles = [role.text for role in guard.findall("guard-role")]
        permissions = [perm.text for perm in guard.findall("guard-permission")]
        expression = guard.findtext("guard-expression")
        transitions[transition.get("transition_id")] = {
            "title": transition.get("title"),
            "description": (transition.findtext("description") or "").strip(),
            "new_state": transition.get("new_state"),
            "guard": ", ".join(
                roles + permissions + ([expression] if expression else [])
            ),
        }
    return states, transitions, root.get("initial_state")


def dot_source(states: dict, transitions: dict, initial: str) -> str:
    lines = [
        "digraph order_workflow {",
        '  rankdir=TB; node [shape=box, style="rounded", fontname="sans-serif"];',
        '  edge [fontname="sans-serif", fontsize=10];',
        '  start [shape=point, label=""];',
        f"  start -> {initial};",
    ]
    for id, state in states.items():
        lines.append(f'  {id} [label="{state["title"]}"];')
    for id, state in states.items():
        for exit in state["exits"]:
            target = transitions[exit]["new_state"]
            lines.append(f'  {id} -> {target} [label="{transitions[exit]["title"]}"];')
    lines.append("}")
    return "\n".join(lines)


def table(headers: list[str], rows: list[list[str]]) -> nodes.table:
    group = nodes.tgroup(cols=len(headers))
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head, body = nodes.thead(), nodes.tbody()
    for container, cells_list in ((head, [headers]), (body, rows)):
        for cells in cells_list:
            row = nodes.row()
            for cell in cells:
                entry = nodes.entry()
                entry += nodes.paragraph(text=cell)
                row += entry
            container += row
    group += head
    group += body
    result = nodes.table()
    result += group
    return result


class OrderWorkflow(Directive):
    def run(self):
        states, transitions, initial = read_workflow()
        diagram = graphviz()
        diagram["code"] = dot_source(states, transitions, initial)
        diagram["options"] = {}
        diagram["alt"] = "The order workflow: states and transitions"
        state_rows = [
            [
                f"{state['title']} ({id})",
                state["description"],
                ", ".join(transitions[exit]["title"] for exit in state["exits"]) or "—",
            ]
            for id, state in states.items()
        ]
        transition_rows = [
            [
                f"{t['title']} ({id})",
                t["new_state"],
                t["guard"] or "—",
                t["description"],
            ]
            for id, t in transitions.items()
        ]
        return [
            diagram,
            table(["State", "Meaning", "Ways out"], state_rows),
            table(["Transition", "Leads to", "Guard", "When"], transition_rows),
        ]


class ShopSettings(Directive):
    def run(self):
        from getpaid.orders.controlpanel.settings import IShopSettings
        from zope.schema import getFieldsInOrder

        rows = [
            [
                name,
                str(field.title),
                type(field).__name__,
                "" if field.default in (None, "") else str(field.default),
                str(field.description or ""),
            ]
            for name, field in getFieldsInOrder(IShopSettings)
        ]
        return [table(["Name", "Title", "Type", "Default", "Help"], rows)]


def setup(app):
    app.add_directive("order-workflow", OrderWorkflow)
    app.add_directive("shop-settings", ShopSettings)
    return {"parallel_read_safe": True, "version": "1"}
