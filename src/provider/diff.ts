import type * as pulumi from "@pulumi/pulumi";
import type { DesiredState } from "../model/desired";
import { diffState } from "../model/diff";
import { type OrgMemberRolesOutputs, recorded } from "./outputs";

/** `diff`: pure, the recorded state against the checked inputs (model/diff.ts). */
export async function diff(
  _id: string,
  olds: OrgMemberRolesOutputs,
  news: DesiredState,
): Promise<pulumi.dynamic.DiffResult> {
  return diffState(recorded(olds), news);
}
