import { expect, it } from "vitest";
it("runs in workerd", () => { expect(typeof crypto.subtle.timingSafeEqual).toBe("function"); });
