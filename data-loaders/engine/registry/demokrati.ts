/** Demokrati: turnout in riksdag elections (election years only). */
import { ALL_BREAKDOWNS, PERCENT_SHARE, SOURCES, universe, yearly } from "./common.ts";
import type { IndicatorDefinition } from "./schema.ts";

export const DEMOKRATI: IndicatorDefinition[] = [
  {
    ...yearly("demokrati"),
    ...PERCENT_SHARE,
    id: "valdeltagande_riksdag",
    label: { sv: "Valdeltagande i riksdagsval", en: "Turnout in riksdag elections" },
    description: {
      sv: "Andel som röstade av de röstberättigade i riksdagsvalet, procent.",
      en: "Share of those entitled to vote in the riksdag election who voted, per cent.",
    },
    universe: universe(
      null,
      null,
      {
        sv: "Röstberättigade i riksdagsvalet som är folkbokförda i Sverige.",
        en: "Persons entitled to vote in the riksdag election and registered in Sweden.",
      },
      "rostberattigad",
    ),
    numerator: { where: "rostade" },
    ageBands: "val",
    breakdowns: ALL_BREAKDOWNS,
    electionYearsOnly: true,
    source: [SOURCES.val],
    footnotes: [
      {
        sv: "Endast valår (1998, 2002, …, 2022). Region avser folkbokföringen 31 december valåret.",
        en: "Election years only (1998, 2002, …, 2022). Region is where the person was registered on 31 December of the election year.",
      },
    ],
  },
];
