import { describe, expect, it } from "vitest";
import { UserError } from "../../data-loaders/cli/command.ts";
import { command, parseYears } from "../../data-loaders/synthetic/cli.ts";

describe("parseYears", () => {
  it("reads single years, ranges and lists, sorted without duplicates", () => {
    expect(parseYears("2022")).toEqual([2022]);
    expect(parseYears("2020-2023")).toEqual([2020, 2021, 2022, 2023]);
    expect(parseYears("2022,1997,2020-2022")).toEqual([1997, 2020, 2021, 2022]);
  });

  it("rejects years outside 1997-2023, backwards ranges and text", () => {
    expect(() => parseYears("1996-1998")).toThrow(/1996 is outside 1997-2023/);
    expect(() => parseYears("2024")).toThrow(UserError);
    expect(() => parseYears("2023-2020")).toThrow(/runs backwards/);
    expect(() => parseYears("last")).toThrow(/'last' is not a year/);
  });
});

describe("rdi generate", () => {
  it("requires --out and checks --scale and --seed before generating anything", async () => {
    await expect(command.run([])).rejects.toThrow(/--out <dir> is required/);
    await expect(command.run(["--out", "/tmp/x", "--scale", "0"])).rejects.toThrow(
      /--scale: '0' is not a share/,
    );
    await expect(command.run(["--out", "/tmp/x", "--scale", "11"])).rejects.toThrow(/--scale: '11'/);
    await expect(command.run(["--out", "/tmp/x", "--seed=-1"])).rejects.toThrow(
      /--seed: '-1' is not a non-negative/,
    );
    await expect(command.run(["--out", "/tmp/x", "--seed", "1.5"])).rejects.toThrow(/--seed: '1.5'/);
    await expect(command.run(["--out", "/tmp/x", "extra"])).rejects.toThrow(/unexpected argument 'extra'/);
  });
});
