//! `--max N`: the N best cards, spread over the whole document. The
//! document is cut into equal stretches (by sentence) and each stretch keeps
//! its best cards, so a long introduction cannot take every place; places a
//! stretch cannot fill go to the best cards left anywhere.

use super::cards::DraftCard;

/// Keeps at most `max` cards, in document order.
pub(crate) fn select(cards: Vec<DraftCard>, max: usize) -> Vec<DraftCard> {
    if cards.len() <= max {
        return cards;
    }
    let sentences = cards.iter().map(|c| c.index).max().unwrap_or(0) + 1;
    let parts = max.clamp(1, 10);
    let stretch = |c: &DraftCard| c.index * parts / sentences;
    let mut order: Vec<usize> = (0..cards.len()).collect();
    order.sort_by(|&a, &b| {
        cards[b]
            .confidence
            .total_cmp(&cards[a].confidence)
            .then(a.cmp(&b))
    });
    let mut keep = vec![false; cards.len()];
    let mut kept = 0;
    for part in 0..parts {
        let quota = max / parts + usize::from(part < max % parts);
        let mut taken = 0;
        for &i in &order {
            if taken == quota {
                break;
            }
            if stretch(&cards[i]) == part {
                keep[i] = true;
                taken += 1;
            }
        }
        kept += taken;
    }
    for &i in &order {
        if kept >= max {
            break;
        }
        if !keep[i] {
            keep[i] = true;
            kept += 1;
        }
    }
    cards
        .into_iter()
        .zip(keep)
        .filter_map(|(c, k)| k.then_some(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::cards::Body;

    fn card(index: usize, confidence: f64) -> DraftCard {
        DraftCard {
            id: format!("c{index}"),
            body: Body::Cloze {
                text: "{{c1::x}}".into(),
            },
            source: String::new(),
            quote: String::new(),
            tags: Vec::new(),
            confidence,
            index,
        }
    }

    #[test]
    fn the_best_cards_spread_over_the_document() {
        // The first half holds the best cards; the second half still gets
        // its share.
        let cards: Vec<DraftCard> = (0..20)
            .map(|i| card(i, if i < 10 { 0.9 } else { 0.5 }))
            .collect();
        let kept = select(cards, 4);
        let idx: Vec<usize> = kept.iter().map(|c| c.index).collect();
        assert_eq!(kept.len(), 4);
        assert!(idx.iter().any(|i| *i >= 10), "{idx:?}");
        assert!(idx.windows(2).all(|w| w[0] < w[1]));
    }
}
