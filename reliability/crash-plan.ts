/** The desired roles of crash trial `variant`: variants alternate so that every `up` has work to do. */
export function desiredFor(variant: number, members: number): Record<string, string[]> {
  const role = (i: number) => `rol_${String(i % 12).padStart(16, "0")}`;
  return Object.fromEntries(
    Array.from({ length: members }, (_, i) => [
      `auth0|${String(i).padStart(24, "0")}`,
      [role(i + variant), role(i + variant * 5 + 1)].filter((r, j, a) => a.indexOf(r) === j).sort(),
    ]),
  );
}
