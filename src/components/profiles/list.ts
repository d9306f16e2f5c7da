// The list of kommuner for the profile index pages, from regioner.parquet. Pure (tested).

export interface KommunListItem {
  kommun: string;
  namn: string;
  lan: string;
  lanNamn: string;
}

/** Kommuner (niva 'kommun') with their län's name, sorted by name in Swedish order, then code. */
export function kommunList(regioner: readonly Record<string, unknown>[]): KommunListItem[] {
  const lanNamn = new Map(
    regioner.filter((r) => r.niva === "lan").map((r) => [String(r.region), String(r.namn)] as const),
  );
  const collator = new Intl.Collator("sv");
  return regioner
    .filter((r) => r.niva === "kommun")
    .map((r) => ({
      kommun: String(r.region),
      namn: String(r.namn),
      lan: String(r.lan),
      lanNamn: lanNamn.get(String(r.lan)) ?? String(r.lan),
    }))
    .sort((a, b) => collator.compare(a.namn, b.namn) || (a.kommun < b.kommun ? -1 : 1));
}

/** The site paths of every kommun page in both languages, for Framework's `dynamicPaths`. */
export function kommunPagePaths(kommunCodes: readonly string[]): string[] {
  const codes = [...kommunCodes].sort();
  return [...codes.map((k) => `/kommuner/${k}`), ...codes.map((k) => `/en/municipalities/${k}`)];
}
