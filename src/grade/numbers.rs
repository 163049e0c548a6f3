//! Numbers written in words are the same answer as in digits: `sixty` is
//! `60`, `twenty-one` is `21`, `second` is `2nd`, `first` is `1st`. Both sides
//! of a comparison are rewritten to digits before grading, so a wrong number
//! is a wrong digit, never a typo (`fifth` is `5th`, `fifty` is `50`).

/// What a number word contributes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// 1 to 9.
    Unit(u64),
    /// 0 and 10 to 19.
    Teen(u64),
    /// 20, 30 ... 90.
    Tens(u64),
    Hundred,
    /// thousand, million, billion.
    Scale(u64),
}

fn cardinal(word: &str) -> Option<Part> {
    const UNITS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    const TEENS: [&str; 10] = [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = UNITS.iter().position(|w| *w == word) {
        return Some(if i == 0 {
            Part::Teen(0)
        } else {
            Part::Unit(i as u64)
        });
    }
    if let Some(i) = TEENS.iter().position(|w| *w == word) {
        return Some(Part::Teen(10 + i as u64));
    }
    if let Some(i) = TENS.iter().position(|w| *w == word) {
        return Some(Part::Tens(20 + 10 * i as u64));
    }
    Some(match word {
        "hundred" => Part::Hundred,
        "thousand" => Part::Scale(1_000),
        "million" => Part::Scale(1_000_000),
        "billion" => Part::Scale(1_000_000_000),
        _ => return None,
    })
}

/// `fifth` is the ordinal of `five`.
fn ordinal(word: &str) -> Option<Part> {
    let irregular = match word {
        "first" => Some("one"),
        "second" => Some("two"),
        "third" => Some("three"),
        "fifth" => Some("five"),
        "eighth" => Some("eight"),
        "ninth" => Some("nine"),
        "twelfth" => Some("twelve"),
        _ => None,
    };
    if let Some(base) = irregular {
        return cardinal(base);
    }
    if let Some(stem) = word.strip_suffix("ieth") {
        return cardinal(&format!("{stem}y"));
    }
    word.strip_suffix("th").and_then(cardinal)
}

/// Whether `next` may follow `last` within one number: `twenty one` is one
/// number, `nineteen fifty six` (a year read aloud) is not rewritten as a sum.
fn follows(last: Option<Part>, next: Part) -> bool {
    use Part::*;
    match (last, next) {
        (None, _) => true,
        (Some(Tens(_)), Unit(_)) => true,
        (Some(Hundred | Scale(_)), Unit(_) | Teen(_) | Tens(_)) => true,
        (Some(Unit(_) | Teen(_)), Hundred) => true,
        (Some(Scale(a)), Scale(b)) => b < a,
        (Some(Unit(_) | Teen(_) | Tens(_) | Hundred), Scale(_)) => true,
        _ => false,
    }
}

/// `2nd`, `21st`, `3rd`, `4th`: the number of a digit ordinal.
fn digit_ordinal(word: &str) -> Option<&str> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    (!digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(suffix, "st" | "nd" | "rd" | "th"))
    .then_some(digits)
}

/// Rewrites number words in folded text (lower case, words separated by
/// single spaces) as digits: `twenty one` is `21`, `second` is `2th`, as is
/// `2nd` (one spelling for every ordinal, so `2nd` and `second` compare
/// equal). Text without number words comes back unchanged.
pub fn to_digits(folded: &str) -> String {
    let words: Vec<&str> = folded.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        if let Some(n) = digit_ordinal(word) {
            out.push(format!("{n}th"));
            i += 1;
            continue;
        }
        // The longest run of number words from here; `17 thousand` too.
        let (mut total, mut current) = (0u64, 0u64);
        let mut last: Option<Part> = None;
        let mut is_ordinal = false;
        let mut j = i;
        if let Ok(n) = word.parse::<u64>()
            && words
                .get(i + 1)
                .is_some_and(|next| matches!(cardinal(next), Some(Part::Hundred | Part::Scale(_))))
        {
            current = n;
            last = Some(Part::Teen(n));
            j += 1;
        }
        while j < words.len() && !is_ordinal {
            let mut w = words[j];
            // "one hundred and five"
            if w == "and"
                && matches!(last, Some(Part::Hundred | Part::Scale(_)))
                && words
                    .get(j + 1)
                    .and_then(|n| cardinal(n).or(ordinal(n)))
                    .is_some()
            {
                j += 1;
                w = words[j];
            }
            let (part, ord) = match cardinal(w) {
                Some(p) => (p, false),
                None => match ordinal(w) {
                    Some(p) => (p, true),
                    None => break,
                },
            };
            if !follows(last, part) {
                break;
            }
            match part {
                Part::Unit(n) | Part::Teen(n) | Part::Tens(n) => {
                    current = current.saturating_add(n)
                }
                Part::Hundred => current = current.max(1).saturating_mul(100),
                Part::Scale(s) => {
                    total = total.saturating_add(current.max(1).saturating_mul(s));
                    current = 0;
                }
            }
            last = Some(part);
            is_ordinal = ord;
            j += 1;
        }
        if j == i {
            out.push(word.to_string());
            i += 1;
            continue;
        }
        let n = total + current;
        out.push(if is_ordinal {
            format!("{n}th")
        } else {
            n.to_string()
        });
        i = j;
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::to_digits;

    #[test]
    fn number_words_become_digits() {
        for (words, digits) in [
            ("sixty", "60"),
            ("ten", "10"),
            ("zero", "0"),
            ("twenty one", "21"),
            ("ninety nine", "99"),
            ("one hundred", "100"),
            ("a hundred", "a 100"),
            ("one hundred and five", "105"),
            ("two thousand and twenty two", "2022"),
            ("nineteen hundred", "1900"),
            ("seventeen thousand", "17000"),
            ("three million", "3000000"),
            ("first", "1th"),
            ("1st", "1th"),
            ("second", "2th"),
            ("2nd", "2th"),
            ("third", "3th"),
            ("fifth", "5th"),
            ("twelfth", "12th"),
            ("twentieth", "20th"),
            ("twenty first", "21th"),
            ("21st", "21th"),
            ("hundredth", "100th"),
            ("the second world war", "the 2th world war"),
            ("four islands", "4 islands"),
            ("nineteen fifty six", "19 56"),
            ("one one", "1 1"),
            ("first second", "1th 2th"),
            ("yalta", "yalta"),
            ("and", "and"),
            ("fifty and", "50 and"),
            ("", ""),
            ("1st2", "1st2"),
            ("17 thousand", "17000"),
            ("2 million", "2000000"),
            ("17 islands", "17 islands"),
        ] {
            assert_eq!(to_digits(words), digits, "{words}");
        }
    }
}
