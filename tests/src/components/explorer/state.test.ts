import { describe, expect, it } from "vitest";
import {
  decodeState,
  type ExplorerOptions,
  type ExplorerState,
  effectiveBreakdown,
  encodeState,
  fileLevel,
} from "../../../../src/components/explorer/state.ts";

const options: ExplorerOptions = {
  indikatorer: ["forvarvsarbetande", "folkmangd"],
  nivaer: (indikator) => (indikator === "folkmangd" ? ["riket"] : ["riket", "lan", "omradestyp"]),
  regioner: (niva) => (niva === "lan" ? ["01", "03", "04"] : ["00"]),
  ar: [2021, 2019, 2020],
};

describe("encodeState", () => {
  it("writes every part in a fixed order, regions comma-separated", () => {
    const state: ExplorerState = {
      indikator: "forvarvsarbetande",
      niva: "lan",
      regioner: ["03", "01"],
      uppdelning: "kon",
      fran: 2019,
      till: 2021,
    };
    expect(encodeState(state)).toBe(
      "?indikator=forvarvsarbetande&niva=lan&regioner=03,01&uppdelning=kon&fran=2019&till=2021",
    );
  });

  it("leaves out empty regions and missing years", () => {
    const state: ExplorerState = {
      indikator: "folkmangd",
      niva: "riket",
      regioner: [],
      uppdelning: "ingen",
      fran: null,
      till: null,
    };
    expect(encodeState(state)).toBe("?indikator=folkmangd&niva=riket&uppdelning=ingen");
  });
});

describe("decodeState", () => {
  it("restores an encoded state exactly", () => {
    const state: ExplorerState = {
      indikator: "forvarvsarbetande",
      niva: "lan",
      regioner: ["04", "01"],
      uppdelning: "fodelseregion",
      fran: 2020,
      till: 2021,
    };
    expect(decodeState(encodeState(state), options)).toEqual(state);
  });

  it("falls back to the first offered indicator and level and to the whole year range", () => {
    // Unknown indicator → forvarvsarbetande (first); niva 'deso' is not offered → riket (first of
    // its levels); no years given → fran = min(2019, 2020, 2021) = 2019, till = max = 2021.
    expect(decodeState("?indikator=okand&niva=deso", options)).toEqual({
      indikator: "forvarvsarbetande",
      niva: "riket",
      regioner: [],
      uppdelning: "ingen",
      fran: 2019,
      till: 2021,
    });
  });

  it("drops unknown and repeated regions, an unknown breakdown and a year outside the data", () => {
    // '99' is no län and '01' comes twice → ['01', '03']; 'kommunstorlek' is no breakdown → ingen;
    // 1997 is not published → 2019 (first year); till 2020 is kept.
    const state = decodeState(
      "?indikator=forvarvsarbetande&niva=lan&regioner=01,99,03,01&uppdelning=kommunstorlek&fran=1997&till=2020",
      options,
    );
    expect(state.regioner).toEqual(["01", "03"]);
    expect(state.uppdelning).toBe("ingen");
    expect([state.fran, state.till]).toEqual([2019, 2020]);
  });

  it("swaps a reversed year range", () => {
    const state = decodeState("?indikator=forvarvsarbetande&fran=2021&till=2019", options);
    expect([state.fran, state.till]).toEqual([2019, 2021]);
  });

  it("keeps a level only when the indicator offers it", () => {
    // folkmangd is published only for riket, so niva=lan is not kept.
    expect(decodeState("?indikator=folkmangd&niva=lan", options).niva).toBe("riket");
  });
});

describe("level områdestyp", () => {
  it("reads the riket file and always splits by områdestyp", () => {
    expect(fileLevel("omradestyp")).toBe("riket");
    expect(fileLevel("kommun")).toBe("kommun");
    expect(effectiveBreakdown({ niva: "omradestyp", uppdelning: "kon" })).toBe("omradestyp");
    expect(effectiveBreakdown({ niva: "lan", uppdelning: "kon" })).toBe("kon");
  });
});
