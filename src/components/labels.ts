// Labels of breakdown codes (publicering.md) in Swedish and English.

export type Lang = "sv" | "en";
export type Labels = Record<string, Record<Lang, string>>;

export const FODELSEREGION: Labels = {
  totalt: { sv: "Samtliga", en: "All" },
  sverige: { sv: "Född i Sverige", en: "Born in Sweden" },
  utrikes: { sv: "Utrikes född", en: "Foreign-born" },
  norden: { sv: "Född i Norden utom Sverige", en: "Born in the Nordic countries except Sweden" },
  eu_efta: { sv: "Född i EU/EFTA utom Norden", en: "Born in the EU/EFTA except the Nordic countries" },
  ovriga: { sv: "Född i övriga världen", en: "Born in the rest of the world" },
};

export const KON: Labels = {
  totalt: { sv: "Kvinnor och män", en: "Women and men" },
  1: { sv: "Män", en: "Men" },
  2: { sv: "Kvinnor", en: "Women" },
};

/** The label of a code in a table of labels; the code itself when it has none. */
export function label(labels: Labels, code: unknown, lang: Lang = "sv"): string {
  return labels[String(code)]?.[lang] ?? String(code);
}
