// The review page (Granskning / Review): the JSON of scripts/site/review.ts as sentences and table
// rows in the page's language. Pure functions (tested in tests/src/components/); every number comes
// from the review's JSON or the catalogue, never typed by hand.
import type { ReviewChange, SiteReview } from "../../scripts/site/review.ts";
import type { CatalogueEntry } from "./catalogue.js";
import { formatCell, formatNumber, formatSigned, NBSP } from "./format.js";
import { BREAKDOWN_CODES, BREAKDOWN_NAMES, type Lang, label, NIVA } from "./labels.js";

export type { ReviewChange, SiteReview };

const TEXT = {
  sv: {
    and: "och",
    none: "inga",
    points: "procentenheter",
    all: "Samtliga",
    comparison: {
      publikationer: (from: string, to: string) =>
        `Publiceringen (år ${to}) jämförs med en tidigare publicering (år ${from}).`,
      ar: (from: number, to: number) =>
        `Ingen tidigare publicering är angiven, så sidan jämför det senaste året, ${to}, med året före, ${from}, inom publiceringen.`,
      arEttAr: (year: number | undefined) =>
        `Ingen tidigare publicering är angiven och publiceringen har inget år före ${year ?? "."}: det finns inget att jämföra.`,
      stored: "Jämförelsen skrevs när publiceringen byggdes (rdi build --previous, filen granskning.json).",
    },
    threshold: (threshold: string, levels: string, minimum: string) =>
      `Tröskeln för förändringar från året före är ${threshold} procentenheter för andelar och ${threshold} procent av det tidigare värdet för övriga enheter; nivåer: ${levels}. En förändring listas bara när cellen har minst ${minimum} personer båda åren: små populationer förändras av en slump.`,
    rows: {
      indicatorsAdded: "Indikatorer som tillkommit",
      indicatorsRemoved: "Indikatorer som tagits bort",
      yearsAdded: "År som tillkommit",
      yearsRemoved: "År som tagits bort",
      revisions: "Reviderade värden för tidigare år (celler)",
      newlySuppressedPublications: "Celler som skyddas nu men publicerades förut",
      newlyPublishedPublications: "Celler som publiceras nu men skyddades förut",
      newlySuppressedYears: (from: number, to: number) => `Celler som skyddas ${to} men publicerades ${from}`,
      newlyPublishedYears: (from: number, to: number) => `Celler som publiceras ${to} men skyddades ${from}`,
      moves: "Värden som ändrats mer än tröskeln från året före (celler)",
    },
  },
  en: {
    and: "and",
    none: "none",
    points: "percentage points",
    all: "All",
    comparison: {
      publikationer: (from: string, to: string) =>
        `The publication (years ${to}) is compared with an earlier publication (years ${from}).`,
      ar: (from: number, to: number) =>
        `No earlier publication is given, so the page compares the latest year, ${to}, with the year before, ${from}, within the publication.`,
      arEttAr: (year: number | undefined) =>
        `No earlier publication is given and the publication has no year before ${year ?? "."}: there is nothing to compare.`,
      stored:
        "The comparison was written when the publication was built (rdi build --previous, the file granskning.json).",
    },
    threshold: (threshold: string, levels: string, minimum: string) =>
      `The threshold for changes from the year before is ${threshold} percentage points for shares and ${threshold} per cent of the earlier value for other units; levels: ${levels}. A change is listed only when the cell has at least ${minimum} persons in both years: small populations move by chance.`,
    rows: {
      indicatorsAdded: "Indicators added",
      indicatorsRemoved: "Indicators removed",
      yearsAdded: "Years added",
      yearsRemoved: "Years removed",
      revisions: "Revised values of earlier years (cells)",
      newlySuppressedPublications: "Cells suppressed now but published before",
      newlyPublishedPublications: "Cells published now but suppressed before",
      newlySuppressedYears: (from: number, to: number) =>
        `Cells suppressed in ${to} but published in ${from}`,
      newlyPublishedYears: (from: number, to: number) => `Cells published in ${to} but suppressed in ${from}`,
      moves: "Values that moved more than the threshold from the year before (cells)",
    },
  },
} as const;

/** Years as text: `2022–2023` when consecutive, else `2019, 2021`; `.` when there are none. */
function yearsText(years: readonly number[]): string {
  if (years.length === 0) return ".";
  const consecutive = years.every((year, i) => i === 0 || year === years[i - 1] + 1);
  return years.length > 1 && consecutive ? `${years[0]}\u2013${years[years.length - 1]}` : years.join(", ");
}

/** Which comparison the page shows, as one sentence. */
export function comparisonText(review: SiteReview, lang: Lang): string {
  const text = TEXT[lang].comparison;
  if (review.mode === "publikationer") {
    const sentence = text.publikationer(
      yearsText(review.previous?.years ?? []),
      yearsText(review.current.years),
    );
    return review.previous_source === "granskning.json" ? `${sentence} ${text.stored}` : sentence;
  }
  if (review.years_compared) return text.ar(review.years_compared.from, review.years_compared.to);
  return text.arEttAr(review.current.years.at(-1));
}

/** The threshold and the levels checked, as one sentence. */
export function thresholdText(review: SiteReview, lang: Lang): string {
  // Level names in running text: lower case, except proper names (Sweden) and the acronyms RegSO, DeSO.
  const levels = review.levels.map((niva) => {
    const name = label(NIVA, niva, lang);
    return niva === "regso" || niva === "deso" || (lang === "en" && niva === "riket")
      ? name
      : name.toLowerCase();
  });
  const list =
    levels.length > 1
      ? `${levels.slice(0, -1).join(", ")} ${TEXT[lang].and} ${levels.at(-1)}`
      : levels.join("");
  return TEXT[lang].threshold(
    formatNumber(review.threshold, 0, lang),
    list,
    formatNumber(review.min_population ?? 100, 0, lang),
  );
}

/** A row of the summary: what is counted, the number as text, and the key of the JSON it comes from. */
export interface SummaryRow {
  key: string;
  label: string;
  value: string;
}

/**
 * The counts of the review. Indicators and years added or removed and the revisions only against an
 * earlier publication; the suppression rows name the two years when the review stays within one.
 */
export function summaryRows(review: SiteReview, lang: Lang): SummaryRow[] {
  const text = TEXT[lang].rows;
  const list = (values: readonly (string | number)[]) =>
    values.length ? values.join(", ") : TEXT[lang].none;
  const count = (value: number) => formatNumber(value, 0, lang);
  const rows: SummaryRow[] = [];
  if (review.mode === "publikationer") {
    rows.push(
      { key: "indicators.added", label: text.indicatorsAdded, value: list(review.indicators.added) },
      { key: "indicators.removed", label: text.indicatorsRemoved, value: list(review.indicators.removed) },
      { key: "years.added", label: text.yearsAdded, value: list(review.years.added) },
      { key: "years.removed", label: text.yearsRemoved, value: list(review.years.removed) },
      { key: "revisions.cells", label: text.revisions, value: count(review.revisions?.cells ?? 0) },
      {
        key: "suppression.newly_suppressed",
        label: text.newlySuppressedPublications,
        value: count(review.suppression.newly_suppressed),
      },
      {
        key: "suppression.newly_published",
        label: text.newlyPublishedPublications,
        value: count(review.suppression.newly_published),
      },
    );
  } else if (review.years_compared) {
    const { from, to } = review.years_compared;
    rows.push(
      {
        key: "suppression.newly_suppressed",
        label: text.newlySuppressedYears(from, to),
        value: count(review.suppression.newly_suppressed),
      },
      {
        key: "suppression.newly_published",
        label: text.newlyPublishedYears(from, to),
        value: count(review.suppression.newly_published),
      },
    );
  }
  rows.push({ key: "year_on_year.cells", label: text.moves, value: count(review.year_on_year.cells) });
  return rows;
}

/** A breakdown as diff.ts writes it (`kon=2, alder=20-24`) in words: `Kön: Kvinnor; Ålder: 20-24`. */
export function describeCell(cell: string, lang: Lang): string {
  if (cell.trim() === "") return TEXT[lang].all;
  return cell
    .split(", ")
    .map((pair) => {
      const [column, code = ""] = pair.split("=");
      return `${label(BREAKDOWN_NAMES, column, lang)}: ${label(BREAKDOWN_CODES[column] ?? {}, code, lang)}`;
    })
    .join("; ");
}

/** A change in its unit: `+2,0 procentenheter`, `−30,0 %` (relative), or in the indicator's unit. */
export function changeText(change: ReviewChange, entry: CatalogueEntry | undefined, lang: Lang): string {
  if (change.unit === "procentenheter") return `${formatSigned(change.change, 1, lang)} ${TEXT[lang].points}`;
  if (change.unit === "procent")
    return `${formatSigned(change.change, 1, lang)}${lang === "sv" ? `${NBSP}%` : "%"}`;
  return formatSigned(change.change, entry?.decimals ?? 1, lang);
}

/** A row of a table of changes, every field as text. */
export interface ChangeRow {
  indikator: string;
  region: string;
  niva: string;
  cell: string;
  ar: string;
  fore: string;
  efter: string;
  change: string;
}

/** The largest changes as table rows: labels from the catalogue, values in the indicator's unit. */
export function changeRows(
  changes: readonly ReviewChange[],
  catalogue: ReadonlyMap<string, CatalogueEntry>,
  lang: Lang,
): ChangeRow[] {
  return changes.map((change) => {
    const entry = catalogue.get(change.indikator);
    const value = (varde: number | null) =>
      formatCell({ varde, status: null }, { unit: entry?.unit, decimals: entry?.decimals, lang });
    return {
      indikator: entry?.label[lang] ?? change.indikator,
      // regioner.parquet names riket in Swedish ("Riket"); the level's label is the page's word for it.
      region: change.niva === "riket" ? label(NIVA, "riket", lang) : change.namn,
      niva: label(NIVA, change.niva, lang),
      cell: describeCell(change.cell, lang),
      ar: String(change.ar),
      fore: value(change.fore),
      efter: value(change.efter),
      change: changeText(change, entry, lang),
    };
  });
}

/** Per indicator: moves above the threshold, suppression changes and revisions (numbers as text). */
export interface IndicatorRow {
  indikator: string;
  label: string;
  moves: string;
  newlySuppressed: string;
  newlyPublished: string;
  revisions: string;
}

/** Every indicator with at least one change of any kind, in the catalogue's order (unknown ids last). */
export function indicatorRows(
  review: SiteReview,
  catalogue: ReadonlyMap<string, CatalogueEntry>,
  lang: Lang,
): IndicatorRow[] {
  const moves = new Map(review.year_on_year.by_indicator.map((row) => [row.indikator, row.cells]));
  const suppression = new Map(review.suppression.by_indicator.map((row) => [row.indikator, row]));
  const revisions = new Map((review.revisions?.by_indicator ?? []).map((row) => [row.indikator, row.cells]));
  const ids = new Set([...moves.keys(), ...suppression.keys(), ...revisions.keys()]);
  const order = [...catalogue.keys()];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  const count = (value: number | undefined) => formatNumber(value ?? 0, 0, lang);
  return [...ids]
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((id) => ({
      indikator: id,
      label: catalogue.get(id)?.label[lang] ?? id,
      moves: count(moves.get(id)),
      newlySuppressed: count(suppression.get(id)?.newly_suppressed),
      newlyPublished: count(suppression.get(id)?.newly_published),
      revisions: review.revisions ? count(revisions.get(id)) : ".",
    }));
}
