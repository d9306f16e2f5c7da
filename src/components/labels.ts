// Labels of breakdown codes (publicering.md) in Swedish and English.

export type Lang = "sv" | "en";
export type Labels = Record<string, Record<Lang, string>>;

/** The label of a code in a table of labels; the code itself when it has none. */
export function label(labels: Labels, code: unknown, lang: Lang = "sv"): string {
  return labels[String(code)]?.[lang] ?? String(code);
}

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

export const VISTELSETID: Labels = {
  totalt: { sv: "Samtliga utrikes födda", en: "All foreign-born" },
  "0-1": { sv: "0–1 år i Sverige", en: "0–1 years in Sweden" },
  "2-3": { sv: "2–3 år i Sverige", en: "2–3 years in Sweden" },
  "4-9": { sv: "4–9 år i Sverige", en: "4–9 years in Sweden" },
  "10-": { sv: "10 år eller mer i Sverige", en: "10 years or more in Sweden" },
};

/** Socio-economic area types of the RegSO (docs/omradestyper.md): 1 = large problems … 5 = very good. */
export const OMRADESTYP: Labels = {
  totalt: { sv: "Samtliga områden", en: "All areas" },
  1: { sv: "1 Stora socioekonomiska utmaningar", en: "1 Major socio-economic challenges" },
  2: { sv: "2 Socioekonomiska utmaningar", en: "2 Socio-economic challenges" },
  3: { sv: "3 Socioekonomiskt blandade", en: "3 Socio-economically mixed" },
  4: { sv: "4 Goda socioekonomiska förutsättningar", en: "4 Good socio-economic conditions" },
  5: { sv: "5 Mycket goda socioekonomiska förutsättningar", en: "5 Very good socio-economic conditions" },
};

export const BAKGRUND: Labels = {
  totalt: { sv: "Samtliga", en: "All" },
  svensk: { sv: "Svensk bakgrund", en: "Swedish background" },
  utlandsk: { sv: "Utländsk bakgrund", en: "Foreign background" },
};

export const GRUND: Labels = {
  totalt: { sv: "Samtliga utrikes födda", en: "All foreign-born" },
  skyddsbehov: {
    sv: "Skyddsbehövande och deras anhöriga",
    en: "Persons in need of protection and their families",
  },
  ovriga: { sv: "Övriga skäl", en: "Other grounds" },
};

export const UTBILDNINGSNIVA: Labels = {
  totalt: { sv: "Samtliga", en: "All" },
  forgymnasial: { sv: "Förgymnasial utbildning", en: "Primary and lower secondary education" },
  gymnasial: { sv: "Gymnasial utbildning", en: "Upper secondary education" },
  eftergymnasial: { sv: "Eftergymnasial utbildning", en: "Post-secondary education" },
  saknas: { sv: "Uppgift saknas", en: "Not known" },
};

/**
 * The breakdown columns of the indikatorer/ tables: each column's name and the labels of its codes
 * (ålder has none: its codes are the bands themselves).
 */
const BREAKDOWN_COLUMNS: Record<string, { name: Record<Lang, string>; codes?: Labels }> = {
  kon: { name: { sv: "Kön", en: "Sex" }, codes: KON },
  alder: { name: { sv: "Ålder", en: "Age" } },
  fodelseregion: { name: { sv: "Födelseregion", en: "Region of birth" }, codes: FODELSEREGION },
  vistelsetid: { name: { sv: "Vistelsetid", en: "Years in Sweden" }, codes: VISTELSETID },
  grund: { name: { sv: "Grund för bosättning", en: "Grounds for settlement" }, codes: GRUND },
  utbildningsniva: { name: { sv: "Utbildningsnivå", en: "Level of education" }, codes: UTBILDNINGSNIVA },
  bakgrund: { name: { sv: "Bakgrund", en: "Background" }, codes: BAKGRUND },
  omradestyp: { name: { sv: "Områdestyp", en: "Area type" }, codes: OMRADESTYP },
};

/** Names of the breakdown columns of the indikatorer/ tables. */
export const BREAKDOWN_NAMES: Labels = Object.fromEntries(
  Object.entries(BREAKDOWN_COLUMNS).map(([column, { name }]) => [column, name]),
);

/** The code labels of each breakdown column that has them (every one but ålder). */
export const BREAKDOWN_CODES: Record<string, Labels> = Object.fromEntries(
  Object.entries(BREAKDOWN_COLUMNS).flatMap(([column, { codes }]) => (codes ? [[column, codes]] : [])),
);

/** Geographic levels of the publication. */
export const NIVA: Labels = {
  riket: { sv: "Riket", en: "Sweden" },
  lan: { sv: "Län", en: "County" },
  kommun: { sv: "Kommun", en: "Municipality" },
  regso: { sv: "RegSO", en: "RegSO" },
  deso: { sv: "DeSO", en: "DeSO" },
};

/** Units of the registry (engine/registry/schema.ts). */
export const UNIT: Labels = {
  procent: { sv: "procent", en: "per cent" },
  antal: { sv: "antal", en: "number" },
  prisbasbelopp: { sv: "prisbasbelopp", en: "price base amounts" },
  kr: { sv: "kronor", en: "SEK" },
  dagar: { sv: "dagar", en: "days" },
  kvot: { sv: "kvot", en: "ratio" },
};

/** Subject areas of the registry, in the catalogue's order. */
export const OMRADE: Labels = {
  arbetsmarknad: { sv: "Arbetsmarknad", en: "Labour market" },
  flyttmonster: { sv: "Flyttmönster", en: "Migration patterns" },
  boende: { sv: "Boende", en: "Housing" },
  demografi: { sv: "Demografi", en: "Demography" },
  ekonomi: { sv: "Ekonomi", en: "Economy" },
  forsorjning: { sv: "Försörjning", en: "Means of support" },
  utbildning: { sv: "Utbildning", en: "Education" },
  halsa: { sv: "Hälsa", en: "Health" },
  demokrati: { sv: "Demokrati", en: "Democracy" },
};
