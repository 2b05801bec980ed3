"""Draw the case workflow: `python -m workflows` prints a Mermaid state diagram."""

from workflows.case_machine import TRIGGERS, transitions_table


def mermaid() -> str:
    lines = ["stateDiagram-v2", "    [*] --> intake"]
    for source, trigger, dest in transitions_table():
        roles = ", ".join(sorted(TRIGGERS[trigger].roles))
        lines.append(f"    {source} --> {dest}: {trigger} ({roles})")
    lines.append("    closed --> [*]")
    return "\n".join(lines)


if __name__ == "__main__":
    print(mermaid())
