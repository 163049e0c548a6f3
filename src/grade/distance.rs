//! Edit distance with a cap: grading only needs to know whether two answers
//! are within one or two edits, so only a band of that width around the
//! diagonal is computed. The work is linear in the answer's length (a 1 MB
//! answer costs a few milliseconds), where the full table is quadratic.

/// The optimal-string-alignment distance (insertions, deletions,
/// substitutions and swaps of neighbours) between `a` and `b` when it is at
/// most `k`; None when it is more.
pub fn within(a: &[char], b: &[char], k: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    // Common ends cost nothing and shorten the band.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Some(n.max(m)).filter(|d| *d <= k);
    }
    let inf = k + 1;
    // Rows of the table; cells outside the band hold `inf`.
    let mut before = vec![inf; m + 1];
    let mut prev: Vec<usize> = (0..=m).map(|j| if j <= k { j } else { inf }).collect();
    let mut cur = vec![inf; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        cur[lo - 1] = if lo == 1 && i <= k { i } else { inf };
        let mut best = cur[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d.min(inf);
            best = best.min(cur[j]);
        }
        if hi < m {
            cur[hi + 1] = inf;
        }
        if best > k {
            return None;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[m]).filter(|d| *d <= k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(a: &str, b: &str, k: usize) -> Option<usize> {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        within(&a, &b, k)
    }

    #[test]
    fn small_distances() {
        assert_eq!(d("kunashri", "kunashiri", 2), Some(1));
        assert_eq!(d("habomia", "habomai", 2), Some(1));
        assert_eq!(d("decrease", "increase", 2), Some(2));
        assert_eq!(d("iturup", "etorofu", 2), None);
        assert_eq!(d("", "ab", 2), Some(2));
        assert_eq!(d("abc", "abc", 0), Some(0));
        assert_eq!(d("abc", "abd", 0), None);
    }

    #[test]
    fn a_megabyte_near_miss_is_fast_to_decide() {
        let long: Vec<char> = "ab".repeat(500_000).chars().collect();
        let mut other = long.clone();
        other[250_000] = 'x';
        other.swap(700_000, 700_001);
        assert_eq!(within(&long, &other, 2), Some(2));
        other[900_000] = 'x';
        assert_eq!(within(&long, &other, 2), None);
    }

    proptest! {
        /// The band gives the same answer as the full table whenever the
        /// distance is within the cap.
        #[test]
        fn agrees_with_the_full_table(a in "[abc]{0,12}", b in "[abc]{0,12}", k in 0usize..4) {
            let full = strsim::osa_distance(&a, &b);
            prop_assert_eq!(d(&a, &b, k), Some(full).filter(|x| *x <= k));
        }
    }
}
