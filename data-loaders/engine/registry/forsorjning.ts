/** Försörjning: transfers as a share of nettoinkomst, persons 20–64. */
import { SOURCES, WORKING_AGE, yearly } from "./common.ts";
import type { IndicatorDefinition } from "./schema.ts";

const transfer = (
  id: string,
  column: string,
  sv: string,
  en: string,
  source: string,
): IndicatorDefinition => ({
  ...yearly("forsorjning"),
  ...WORKING_AGE,
  id,
  label: { sv: `Andel ${sv} av nettoinkomsten`, en: `${en} as a share of net income` },
  description: {
    sv: `Summan av ${sv} i procent av summan av nettoinkomst för personer 20–64 år.`,
    en: `The sum of ${en.toLowerCase()} as a percentage of the sum of net income of persons aged 20–64.`,
  },
  unit: "procent",
  decimals: 1,
  kind: "summaandel",
  numerator: { value: column },
  denominator: { value: "nettoinkomst" },
  source: [source, SOURCES.iot],
  footnotes: [
    {
      sv: "Redovisas inte (.) om summan av nettoinkomst i gruppen är noll eller negativ.",
      en: "Not available (.) when the group's sum of net income is zero or negative.",
    },
  ],
});

export const FORSORJNING: IndicatorDefinition[] = [
  transfer("andel_sjukpenning", "sjukpenning", "sjukpenning", "Sickness benefit", SOURCES.fk),
  transfer(
    "andel_sjuk_aktivitetsersattning",
    "sjuk_aktivitetsersattning",
    "sjuk- och aktivitetsersättning",
    "Sickness and activity compensation",
    SOURCES.fk,
  ),
  transfer(
    "andel_arbetsloshetsersattning",
    "arbetsloshetsersattning",
    "arbetslöshetsersättning",
    "Unemployment benefit",
    SOURCES.iot,
  ),
  transfer(
    "andel_ekonomiskt_bistand",
    "ekonomiskt_bistand",
    "ekonomiskt bistånd",
    "Social assistance",
    SOURCES.bistand,
  ),
  transfer(
    "andel_etableringsersattning",
    "etableringsersattning",
    "etableringsersättning",
    "Introduction benefit",
    SOURCES.iot,
  ),
];
