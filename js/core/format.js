// How numbers read on a node: 4 decimals; below 1e-3 or above 1e6 in magnitude,
// scientific with 4 significant digits so vanishing gradients stay visible.
// wire.format_number in Python gives the same text (tests/test_cross_check.py compares).

/**
 * @param {number} x
 * @returns {string}
 */
export function format_number(x) {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return "0.0000";
  const size = Math.abs(x);
  if (size < 1e-3 || size > 1e6) return scientific(x);
  return fixed4(x);
}

// NOTE [ties]
// toFixed and toExponential round exact halves away from zero; Python rounds
// them to even (0.03125 -> '0.0312'). An exact half is rare but real (sums of
// powers of two), so detect it and round to even like Python does.

function fixed4(x) {
  const long = x.toFixed(25); // the exact binary value, for |x| <= 1e6
  const dot = long.indexOf(".");
  if (long.slice(dot + 5) === `5${"0".repeat(20)}`) {
    // an exact half: NOTE [ties]
    const truncated = long.slice(0, dot + 5);
    if (Number(truncated[truncated.length - 1]) % 2 === 0) return truncated;
  }
  return x.toFixed(4);
}

function scientific(x) {
  const text = x.toExponential(3);
  if (!Number.isInteger(x)) return text; // below 1e-3 no exact half exists at 4 digits
  const digits = BigInt(Math.abs(x)).toString(); // exact for every integer double
  const half = `5${"0".repeat(digits.length - 5)}`;
  if (digits.length > 4 && digits.slice(4) === half && Number(digits[3]) % 2 === 0) {
    // NOTE [ties]
    return `${x < 0 ? "-" : ""}${digits[0]}.${digits.slice(1, 4)}e+${digits.length - 1}`;
  }
  return text;
}
