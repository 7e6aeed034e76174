import { describe, expect, it } from "vitest";
import { DURATION_EXAMPLE, parseDuration, parseSignedDuration } from "../../runtime/durations.ts";

describe("parseDuration", () => {
  it.each([
    ["5 minutes", 300, "5 minutes"],
    ["1 minute", 60, "1 minute"],
    ["1 minutes", 60, "1 minute"],
    ["2 hour", 7_200, "2 hours"],
    ["0 seconds", 0, "0 seconds"],
    ["30 second", 30, "30 seconds"],
    ["1 day", 86_400, "1 day"],
    ["2 weeks", 1_209_600, "2 weeks"],
    // Months and years are fixed lengths, handed to Workflows as days so the engine counts them the same.
    ["1 month", 2_592_000, "30 days"],
    ["2 months", 5_184_000, "60 days"],
    ["1 year", 31_536_000, "365 days"],
    ["  10   Minutes ", 600, "10 minutes"],
    ["05 minutes", 300, "5 minutes"],
    ["10minutes", 600, "10 minutes"],
  ])("%j → %i seconds, %j", (text, seconds, normalised) => {
    expect(parseDuration(text)).toEqual({ seconds, text: normalised });
  });

  it.each(["", "5", "minutes", "1.5 hours", "-2 days", "+2 days", "5 fortnights", "5 minutes ago", "1e3 seconds", "9999999999999999 years"])(
    "rejects %j",
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it("has an example for hints", () => {
    expect(DURATION_EXAMPLE).toContain("5 minutes");
  });
});

describe("parseSignedDuration", () => {
  it("accepts a leading minus and keeps the text unsigned", () => {
    expect(parseSignedDuration("-2 days")).toEqual({ seconds: 172_800, text: "2 days", sign: -1, count: 2, unit: "day" });
    expect(parseSignedDuration("- 2 days")).toEqual({ seconds: 172_800, text: "2 days", sign: -1, count: 2, unit: "day" });
    expect(parseSignedDuration("1 hour")).toEqual({ seconds: 3_600, text: "1 hour", sign: 1, count: 1, unit: "hour" });
  });

  it("still rejects what is not a duration", () => {
    expect(parseSignedDuration("--2 days")).toBeUndefined();
    expect(parseSignedDuration("-")).toBeUndefined();
  });
});
