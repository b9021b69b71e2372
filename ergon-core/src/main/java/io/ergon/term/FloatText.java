package io.ergon.term;

import java.math.BigDecimal;

/**
 * Writes a double the way OTP 25's {@code float_to_list(F, [short])} does (the {@code ~w} form of a float): the
 * shortest digits that read back to the same double (Ryu's choice), in plain notation ({@code 123.5},
 * {@code 0.001}) when that is no longer than scientific notation ({@code 1.0e-5}) and the magnitude is below 2^53,
 * else in scientific notation. Both notations always have a digit after the point.
 */
final class FloatText {
    private static final double TWO_53 = 9007199254740992.0;

    private FloatText() {
    }

    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Erlang has no float " + value);
        }
        if (value == 0.0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0";
        }
        double abs = Math.abs(value);
        // Java's shortest digits; they differ from Ryu's only where one digit suffices (see oneDigit).
        String s = Double.toString(abs);
        int ePos = s.indexOf('E');
        String mantissa = ePos < 0 ? s : s.substring(0, ePos);
        int exp = ePos < 0 ? 0 : Integer.parseInt(s.substring(ePos + 1));
        int dot = mantissa.indexOf('.');
        String intPart = mantissa.substring(0, dot);
        String fracPart = mantissa.substring(dot + 1);
        String all = intPart + fracPart;
        // value = 0.all * 10^(exp + intPart.length()); normalise to d.ddd * 10^sci
        int lead = 0;
        while (lead < all.length() - 1 && all.charAt(lead) == '0') {
            lead++;
        }
        int sci = exp + intPart.length() - 1 - lead;
        String digits = all.substring(lead);
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(0, end);
        if (digits.length() == 2) {
            String one = oneDigit(abs, digits, sci);
            if (one != null) {
                if (one.length() == 2) {
                    sci++;
                    one = one.substring(0, 1);
                }
                digits = one;
            }
        }
        String text = layout(digits, sci, abs < TWO_53);
        return value < 0 ? "-" + text : text;
    }

    /**
     * Java may print two digits where one already reads back (it then prefers the closer two-digit decimal); Ryu
     * prints the shortest. Returns the one-digit choice ("10" meaning a carry into the next power), or null.
     */
    private static String oneDigit(double abs, String digits, int sci) {
        int first = digits.charAt(0) - '0';
        String best = null;
        BigDecimal exact = new BigDecimal(abs);
        BigDecimal bestDistance = null;
        for (int d = first; d <= first + 1; d++) {
            BigDecimal candidate = new BigDecimal(java.math.BigInteger.valueOf(d), -sci);
            if (candidate.signum() == 0 || Double.parseDouble(candidate.toString()) != abs) {
                continue;
            }
            BigDecimal distance = candidate.subtract(exact).abs();
            if (bestDistance == null || distance.compareTo(bestDistance) < 0) {
                bestDistance = distance;
                best = Integer.toString(d);
            }
        }
        return best;
    }

    private static String layout(String digits, int sci, boolean plainAllowed) {
        StringBuilder e = new StringBuilder(digits.length() + 8);
        e.append(digits.charAt(0)).append('.');
        e.append(digits.length() > 1 ? digits.substring(1) : "0");
        e.append('e').append(sci);
        if (!plainAllowed) {
            return e.toString();
        }
        StringBuilder f = new StringBuilder(digits.length() + 8);
        int n = digits.length();
        if (sci >= 0) {
            if (n - 1 <= sci) {
                f.append(digits).append("0".repeat(sci - (n - 1))).append(".0");
            } else {
                f.append(digits, 0, sci + 1).append('.').append(digits, sci + 1, n);
            }
        } else {
            f.append("0.").append("0".repeat(-sci - 1)).append(digits);
        }
        return f.length() <= e.length() ? f.toString() : e.toString();
    }
}
