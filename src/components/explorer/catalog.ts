// The explorer's view of indikatorer/katalog.json (written from the registry, engine/registry/index.ts).
// Accepts the registry's shape ({version, indicators: [{id, omrade, label, unit, levels, …}]}) and the
// early development shape ({indikatorer: [{id, etikett, enhet, nivaer}]}).

export interface ExplorerIndicator {
  id: string;
  omrade: string;
  label: { sv: string; en: string };
  description: { sv: string; en: string } | null;
  unit: string;
  decimals: number;
  levels: string[];
  footnotes: { sv: string; en: string }[];
}

type Text = { sv: string; en: string };

function text(value: unknown, fallback: string): Text {
  if (value && typeof value === "object" && "sv" in value) {
    const { sv, en } = value as Partial<Text>;
    return { sv: String(sv ?? fallback), en: String(en ?? sv ?? fallback) };
  }
  return { sv: fallback, en: fallback };
}

/** The indicators of a catalogue, in its order. Throws when the file has neither known shape. */
export function readCatalogue(json: unknown): ExplorerIndicator[] {
  const object = (json ?? {}) as Record<string, unknown>;
  const list = (object.indicators ?? object.indikatorer) as Record<string, unknown>[] | undefined;
  if (!Array.isArray(list)) throw new Error("indikatorer/katalog.json: no list 'indicators'");
  return list.map((entry) => {
    const id = String(entry.id);
    const unit = String(entry.unit ?? entry.enhet ?? "antal");
    return {
      id,
      omrade: String(entry.omrade ?? "ovrigt"),
      label: text(entry.label ?? entry.etikett, id),
      description: entry.description ? text(entry.description, "") : null,
      unit,
      decimals: typeof entry.decimals === "number" ? entry.decimals : unit === "antal" ? 0 : 1,
      levels: ((entry.levels ?? entry.nivaer ?? []) as unknown[]).map(String),
      footnotes: Array.isArray(entry.footnotes) ? entry.footnotes.map((note) => text(note, "")) : [],
    };
  });
}
