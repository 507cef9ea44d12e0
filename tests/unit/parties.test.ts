import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decryptId, encryptId, hashId, idCheckChar, isValidIdNumber, maskIdNumber, normaliseCode, usccCheckChar, usccProblem,
} from "../../lib/parties";

// Published codes (GB 32100-2015, the unified social credit code of legal persons and other organisations):
// - 91350100M000100Y43: the standard's worked example of the check character (sum 1640, 1640 mod 31 = 28,
//   31 − 28 = 3), as reproduced at https://renrendoc.com/p-47802332.html and
//   https://www.yc00.com/web/1713075042a2177900.html; the same pages give 91350100M000100Y4Z as the
//   example of a code refused ("Z" is outside the character set, and the check character is 3).
// - 914403001922038216: Huawei Technologies Co., Ltd., as its Wikipedia infobox gives it
//   (https://zh.wikipedia.org/zh-hk/華為, 機構代碼).
const PUBLISHED_VALID = ["91350100M000100Y43", "914403001922038216"];

describe("the unified social credit code's check character (GB 32100-2015)", () => {
  it("accepts the published valid codes", () => {
    for (const code of PUBLISHED_VALID) expect(usccProblem(code), code).toBeNull();
    expect(usccCheckChar("91350100M000100Y4")).toBe("3");
  });

  it("refuses the standard's invalid example and every other check character of the valid ones", () => {
    expect(usccProblem("91350100M000100Y4Z")).toBe("uscc_chars");
    for (const code of PUBLISHED_VALID) {
      for (const c of "0123456789ABCDEFGHJKLMNPQRTUWXY") {
        if (c === code[17]) continue;
        expect(usccProblem(code.slice(0, 17) + c), code.slice(0, 17) + c).toBe("uscc_check");
      }
    }
  });

  it("refuses a wrong length or a letter outside the set, and the check 31 is written 0", () => {
    expect(usccProblem("91350100M000100Y4")).toBe("uscc_length");
    expect(usccProblem("91350100M000100Y433")).toBe("uscc_length");
    expect(usccProblem("91350100I000100Y43")).toBe("uscc_chars"); // I is not used
    expect(usccProblem("9135A100M000100Y43")).toBe("uscc_chars"); // the division code is digits
    // a first 17 whose weighted sum is a multiple of 31 has the check character 0
    expect(usccCheckChar("00000000000000000")).toBe("0");
  });

  it("forgives spaces, dashes and lower case as typed", () => {
    expect(normaliseCode(" 9135 0100-m000 100y43 ")).toBe("91350100M000100Y43");
  });
});

describe("a personal identity number", () => {
  const id = "53010219900101" + "123";
  const full = id + idCheckChar(id);

  it("is checked by its own check character (GB 11643-1999)", () => {
    expect(isValidIdNumber(full)).toBe(true);
    expect(isValidIdNumber(id + (full[17] === "0" ? "1" : "0"))).toBe(false);
    expect(isValidIdNumber("11010519491231002X")).toBe(true); // the standard's example number
  });

  it("is masked but for its first and last four characters", () => {
    expect(maskIdNumber("530102199001011234")).toBe("5301**********1234");
    expect(maskIdNumber("AB1234")).toBe("****34");
  });

  it("is encrypted so that only the key opens it, and hashed the same each time", () => {
    const key = randomBytes(32);
    const sealed = encryptId(full, key);
    expect(sealed).not.toContain(full);
    expect(decryptId(sealed, key)).toBe(full);
    expect(encryptId(full, key)).not.toBe(sealed); // a fresh IV each time
    expect(() => decryptId(sealed, randomBytes(32))).toThrow();
    expect(hashId(full, key)).toBe(hashId(full, key));
    expect(hashId(full, key)).not.toBe(hashId(full, randomBytes(32)));
  });
});
