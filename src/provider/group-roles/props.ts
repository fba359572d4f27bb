/**
 * OrgGroupRoles' props as the engine holds them (`groups`, `groupsSecret`) and as the shared operations read
 * them (`members`, `membersSecret`: model/group-desired.ts says why). Pure; every call of the group provider
 * goes through `asShared` on the way in and `asGroups` on the way out.
 */
type Props = Record<string, unknown>;

const RENAMES: ReadonlyArray<[group: string, shared: string]> = [
  ["groups", "members"],
  ["groupsSecret", "membersSecret"],
];

function renamed(props: Props, from: 0 | 1): Props {
  const out: Props = { ...props };
  for (const pair of RENAMES) {
    const [src, dst] = from === 0 ? pair : [pair[1], pair[0]];
    if (src in out) {
      out[dst] = out[src];
      delete out[src];
    }
  }
  return out;
}

/** The engine's props of an OrgGroupRoles, named as the shared operations read them. */
export const asShared = (props: Props): Props => renamed(props, 0);
/** The shared operations' props, named as OrgGroupRoles stores and shows them. */
export const asGroups = (props: Props): Props => renamed(props, 1);
