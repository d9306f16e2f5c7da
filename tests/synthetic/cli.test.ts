import { describe, expect, it } from "vitest";
import { command } from "../../data-loaders/synthetic/cli.ts";

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

  it("only generates the years 1997-2023", async () => {
    await expect(command.run(["--out", "/tmp/x", "--years", "1996-1998"])).rejects.toThrow(
      "--years: 1996 is outside 1997-2023",
    );
    await expect(command.run(["--out", "/tmp/x", "--years", "2024"])).rejects.toThrow(
      "--years: 2024 is outside 1997-2023",
    );
  });
});
