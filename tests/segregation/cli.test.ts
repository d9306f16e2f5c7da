import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { UserError } from "../../data-loaders/cli/command.ts";
import { command, formatCsv, segregationReport } from "../../data-loaders/segregation/cli.ts";
import { CountsError, parseCsv, readCounts } from "../../data-loaders/segregation/counts.ts";
import { makeTempDir } from "../temp.ts";

const dir = makeTempDir("rdi-segregation-");

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs `rdi segregation` and returns its exit status and stdout. */
async function run(args: string[]): Promise<{ status: number; stdout: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const status = await command.run(args);
    return { status, stdout: chunks.join("") };
  } finally {
    spy.mockRestore();
  }
}

const close = (actual: unknown, expected: number) => {
  expect(typeof actual).toBe("number");
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-9);
};

/**
 * Region R1: units u1 = (x 2, y 0), u2 = (x 0, y 2): complete segregation, D = 1, M = ln 2.
 * Region R2: one unit u1 = (x 1, y 1) written as two rows for x that add up: D = 0, M = 0.
 * Whole input (units R1/u1, R1/u2, R2/u1): T = 6, 3 x and 3 y, M = ln 2 − (2/6) ln 2 = (2/3) ln 2;
 * regions have the same composition (2:2 and 1:1), so M_between = 0 and M_within = (4/6) ln 2.
 * Two-group D of the whole input: ½ (|2/3 − 0| + |0 − 2/3| + |1/3 − 1/3|) = 2/3.
 */
const COUNTS = "region,unit,group,count\nR1,u1,x,2\nR1,u2,y,2\nR2,u1,y,1\nR2,u1,x,0\nR2,u1,x,1\n";

describe("rdi segregation --format json", () => {
  it("prints every measure per region, for the whole input, and the decomposition", async () => {
    const { status, stdout } = await run(["--input", file("counts.csv", COUNTS), "--draws", "20"]);
    expect(status).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(["regions", "all", "decomposition"]);
    expect(Object.keys(out.regions)).toEqual(["R1", "R2"]);
    const r1 = out.regions.R1;
    expect(r1.total).toBe(4);
    expect(r1.units).toBe(2);
    expect(Object.keys(r1.by_group)).toEqual(["x", "y"]);
    expect(Object.keys(r1.by_group.x)).toEqual([
      "share",
      "D",
      "isolation",
      "exposure",
      "correlation_ratio",
      "gini",
      "H",
    ]);
    expect(r1.by_group.x.D).toBe(1);
    expect(r1.by_group.x.isolation).toBe(1);
    expect(r1.by_group.x.exposure).toEqual({ y: 0 });
    expect(r1.pairwise).toEqual({ "x|y": { D: 1 } });
    close(r1.multigroup.M, Math.log(2));
    close(r1.multigroup.E, Math.log(2));
    // R2: one populated unit and two groups: every measure is 0, isolation and exposure too.
    expect(out.regions.R2.units).toBe(1);
    expect(out.regions.R2.by_group.x.D).toBe(0);
    expect(out.regions.R2.by_group.x.isolation).toBe(0);
    expect(out.regions.R2.by_group.x.exposure).toEqual({ y: 0 });
    expect(out.regions.R2.multigroup.M).toBe(0);
    // The whole input.
    expect(out.all.total).toBe(6);
    expect(out.all.units).toBe(3);
    close(out.all.by_group.x.D, 2 / 3);
    close(out.decomposition.M_total, (2 / 3) * Math.log(2));
    close(out.decomposition.M_between, 0);
    close(out.decomposition.M_within, (2 / 3) * Math.log(2));
    close(out.decomposition.H_total, 2 / 3);
    close(out.decomposition.H_within, 2 / 3);
    // Expectations under random allocation of R1 (HG(4, 2, 2), see random.test.ts): E[D] = 1/3.
    close(r1.random.by_group.x.D, 1 / 3);
  });

  it("lists pairs in the order the groups first appear and writes null for undefined values", async () => {
    const text = "unit,group,count\n1,b,3\n1,a,1\n2,a,2\n2,c,0\n";
    const { stdout } = await run(["--input", file("order.csv", text), "--draws", "0"]);
    const out = JSON.parse(stdout);
    expect(out.regions).toEqual({});
    expect(Object.keys(out.all.pairwise)).toEqual(["b|a", "b|c", "a|c"]);
    // c is absent: its D and isolation are undefined, exposure to it is 0, pairwise D with it undefined.
    expect(out.all.by_group.c.D).toBeNull();
    expect(out.all.by_group.c.isolation).toBeNull();
    expect(out.all.by_group.a.exposure.c).toBe(0);
    expect(out.all.pairwise["a|c"].D).toBeNull();
    // Without a region column the decomposition has one region: nothing between.
    expect(out.decomposition.M_between).toBe(0);
    expect(out.decomposition.M_within).toBe(out.decomposition.M_total);
  });

  it("is deterministic: the same input and seed give the same bytes", async () => {
    const path = file("again.csv", COUNTS);
    const first = await run(["--input", path, "--seed", "4"]);
    const second = await run(["--input", path, "--seed", "4"]);
    expect(second.stdout).toBe(first.stdout);
  });
});

describe("rdi segregation --format csv", () => {
  it("writes long rows region,group,measure,value,random", async () => {
    const { stdout } = await run(["--input", file("long.csv", COUNTS), "--format", "csv", "--draws", "0"]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("region,group,measure,value,random");
    const rows = new Map(
      lines.slice(1).map((line) => {
        const [region, group, measure, value, random] = line.split(",");
        return [`${region},${group},${measure}`, { value, random }];
      }),
    );
    expect(rows.get("R1,,total")).toEqual({ value: "4", random: "" });
    expect(rows.get(",,units")).toEqual({ value: "3", random: "" });
    expect(rows.get("R1,x,D")?.value).toBe("1");
    close(Number(rows.get("R1,x,D")?.random), 1 / 3);
    expect(rows.get("R1,x,exposure:y")?.value).toBe("0");
    close(Number(rows.get("R1,x,exposure:y")?.random), 1 / 3);
    close(Number(rows.get("R1,x|y,D")?.random), 1 / 3);
    expect(rows.get(",,M_between")).toEqual({ value: "0", random: "" });
    // Gini under random allocation needs the simulation, which --draws 0 switches off.
    expect(rows.get("R1,x,gini")).toEqual({ value: "1", random: "" });
    // Per profile (R1, R2, whole input): total, units; per group share, D, isolation, one exposure,
    // correlation_ratio, gini, H (2 × 7); one pair; five multigroup rows = 22. Plus 6 decomposition rows.
    expect(rows.size).toBe(3 * 22 + 6);
  });

  it("quotes fields that hold commas", () => {
    const input = readCounts(
      'region,unit,group,count\n"Malmö, centrum",1,x,1\n"Malmö, centrum",2,y,1\n',
      "q.csv",
    );
    expect(formatCsv(segregationReport(input, { draws: 0 }))).toContain('"Malmö, centrum",,total,2,');
  });
});

describe("reading counts", () => {
  it("parses quotes, a BOM, CRLF and any column order; repeated rows add up", () => {
    const input = readCounts(
      '\uFEFFcount,group,unit\r\n2,x,"a ""quoted"" unit"\r\n3,x,"a ""quoted"" unit"\r\n1,y,b\r\n',
      "f.csv",
    );
    expect(input.hasRegions).toBe(false);
    expect(input.groups).toEqual(["x", "y"]);
    expect(Array.from(input.regions[0].table.unitTotals)).toEqual([5, 1]);
    expect(parseCsv('a,"b\nc",d\n')[0].fields).toEqual(["a", "b\nc", "d"]);
  });

  it("names the file, column, number of lines and rule", () => {
    expect(() => readCounts("unit,group\n1,x\n", "counts.csv")).toThrow(
      /counts\.csv: column 'count': missing from the header/,
    );
    const bad = "unit,group,count\n1,x,-1\n2,x,abc\n3,x,1.5\n4,x,2\n";
    expect(() => readCounts(bad, "counts.csv")).toThrow(
      `counts.csv: column 'count': 3 lines break the rule "a non-negative whole number" (first at line 2: '-1')`,
    );
    expect(() => readCounts("unit,group,count\n1,,2\n", "c.csv")).toThrow(
      /c\.csv: column 'group': 1 line breaks the rule "not empty" \(first at line 2/,
    );
    expect(() => readCounts("unit,group,count\n1,x\n", "c.csv")).toThrow(
      /1 line breaks the rule "every line has 3 fields"/,
    );
    expect(() => readCounts("", "c.csv")).toThrow(CountsError);
  });

  it("the command turns bad input into a one-line UserError", async () => {
    const path = file("bad.csv", "unit,group,count\n1,x,-4\n");
    await expect(command.run(["--input", path])).rejects.toThrow(UserError);
    await expect(command.run(["--input", path])).rejects.toThrow(/bad\.csv: column 'count': 1 line breaks/);
    await expect(command.run(["--input", join(dir, "missing.csv")])).rejects.toThrow(/cannot read/);
    await expect(command.run([])).rejects.toThrow(/--input/);
    await expect(command.run(["--input", path, "--format", "xml"])).rejects.toThrow(/--format/);
  });
});
