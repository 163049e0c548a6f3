//! Rendered charts and tables, as exact text.

use jiff::civil::date;
use kioku::Paint;
use kioku::Rating::{Again, Good, Hard};
use kioku::stats::compute::{Forecast, Heatmap};
use kioku::stats::render::{render_card, render_forecast, render_heatmap, render_stats};
use kioku::stats::{OrphanInfo, ReviewKind, StatsInput, card_detail, compute};

use crate::support::*;

const FORECAST: [u64; 30] = [
    12, 5, 0, 8, 1, 0, 0, 20, 3, 7, 2, 2, 9, 0, 4, 6, 1, 1, 0, 15, 2, 3, 3, 0, 5, 8, 1, 0, 2, 4,
];

fn forecast() -> Forecast {
    Forecast {
        start: date(2026, 5, 14),
        overdue: 3,
        days: FORECAST.to_vec(),
    }
}

/// 182 days to Thursday 2026-05-14, counts cycling 0..=8.
fn heatmap() -> Heatmap {
    Heatmap {
        start: date(2025, 11, 14),
        counts: (0..182).map(|i| i % 9).collect(),
    }
}

/// A small collection with a Japanese deck, a leech, a long question and an
/// orphan.
fn collection() -> StatsInput {
    let mut i = input();
    i.decks = vec![deck("jp", "日本語の動詞"), deck("geo", "Geography")];
    let mut taberu = review_card("jp/taberu", 30.0);
    taberu.text = "食べる — to eat (godan? no: ichidan, 一段動詞)".into();
    taberu.lapses = 4;
    taberu.leech = true;
    taberu.reviews = vec![
        with_kind(answer(days(-40), Good), ReviewKind::Learn),
        with_interval(answer(days(-20), Again), 25.0),
        with_interval(answer(days(-3), Good), 3.0),
        answer(hours(-2.0), Hard),
    ];
    for (r, s) in taberu.reviews.iter_mut().zip([2.5, 3.1, 18.0, 30.0]) {
        r.stability_after = Some(s);
    }
    let mut kuril = review_card("geo/kuril", 5.0);
    kuril.text = "Which islands did the 1855 Treaty of Shimoda divide?\x1b[2J".into();
    kuril.lapses = 1;
    kuril.reviews = vec![answer(days(-1), Good), answer(hours(-1.0), Again)];
    i.cards = vec![taberu, card("jp/miru"), kuril];
    i.orphans = vec![OrphanInfo {
        key: "old/gone".into(),
        reviews: vec![answer(days(-2), Good)],
    }];
    i
}

/// Compares with an expected text that starts with a newline (for
/// readability), line by line for a readable failure.
fn snapshot(actual: &str, expected: &str) {
    let expected = expected
        .strip_prefix('\n')
        .expect("snapshots start on a new line");
    if actual != expected {
        for (n, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
            assert_eq!(a, e, "line {}\n--- actual:\n{actual}", n + 1);
        }
        assert_eq!(actual, expected, "\n--- actual:\n{actual}");
    }
}

#[test]
fn forecast_at_80_columns() {
    snapshot(
        &render_forecast(&forecast(), 80, &Paint::plain()),
        r#"
Due in the next 30 days
today 12 (3 overdue) · tomorrow 5 · 7 days 26 · 30 days 124
20 ┤              █
   │              █                       ▄
   │▅             █                       █
   │█     ▄       █   ▁     ▆             █           ▄
   │█ ▄   █       █   █     █   ▂ ▇       █         ▄ █       ▂
   │█ █   █ ▃     █ █ █ ▅ ▅ █   █ █ ▃ ▃   █ ▅ █ █   █ █ ▃   ▅ █
 0 └───────────────────────────────────────────────────────────
    today         +7            +14           +21           +28
"#,
    );
}

#[test]
fn forecast_at_40_columns() {
    snapshot(
        &render_forecast(&forecast(), 40, &Paint::plain()),
        r#"
Due in the next 30 days
today 12 (3 overdue) · tomorrow 5 · 7
days 26 · 30 days 124
20 ┤       █
   │       █           ▄
   │▅      █           █
   │█  ▄   █ ▁  ▆      █     ▄
   │█▄ █   █ █  █ ▂▇   █    ▄█   ▂
   │██ █▃  ███▅▅█ ██▃▃ █▅██ ██▃ ▅█
 0 └──────────────────────────────
    today  +7     +14    +21    +28
"#,
    );
}

#[test]
fn heatmap_at_80_columns() {
    snapshot(
        &render_heatmap(&heatmap(), 80, &Paint::plain()),
        r#"
Reviews 718 in the last 26 weeks
    Nov Dec       Jan     Feb     Mar       Apr     May
Mon ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █
Tue ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █
Wed ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ ·
Thu ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░
Fri █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒
Sat █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓
Sun · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓ ▒ ░ · █ ▓ ▒ ░ █ ▓
    less · ░ ▒ ▓ █ more
"#,
    );
}

#[test]
fn heatmap_at_40_columns() {
    snapshot(
        &render_heatmap(&heatmap(), 40, &Paint::plain()),
        r#"
Reviews 718 in the last 26 weeks
      Dec  Jan Feb Mar  Apr May
Mon ▒░█▓▒░·█▓▒░█▓▒░·█▓▒░█▓▒░·█
Tue ▒░·█▓▒░█▓▒░·█▓▒░█▓▒░·█▓▒░█
Wed ▓▒░█▓▒░·█▓▒░█▓▒░·█▓▒░█▓▒░·
Thu ▓▒░·█▓▒░█▓▒░·█▓▒░█▓▒░·█▓▒░
Fri █▓▒░█▓▒░·█▓▒░█▓▒░·█▓▒░█▓▒
Sat █▓▒░·█▓▒░█▓▒░·█▓▒░█▓▒░·█▓
Sun ·█▓▒░█▓▒░·█▓▒░█▓▒░·█▓▒░█▓
    less · ░ ▒ ▓ █ more
"#,
    );
}

#[test]
fn card_at_80_columns() {
    snapshot(
        &render_card(
            &card_detail(&collection(), "jp/taberu", Some(days(10))).unwrap(),
            80,
            &Paint::plain(),
        ),
        r#"
jp/taberu
  食べる — to eat (godan? no: ichidan, 一段動詞)
Deck      日本語の動詞 (jp)
State     review · interval 30 days · due 2026-05-17 12:00 (in 3 days)
Lapses    4 · leech
Memory    stability 30 days · difficulty 5.00
Recall    100% now · 95% at 2026-05-24 12:00
Retention 2 of 3 review answers passed (66.7%)
History   4 answers, 4.0 s in all

When              Rating  Mode   Kind     Time  Interval  Stability
2026-04-04 12:00  good    study  learn   1.0 s     1 day   2.5 days
2026-04-24 12:00  again   study  review  1.0 s   25 days   3.1 days
2026-05-11 12:00  good    study  review  1.0 s    3 days    18 days
2026-05-14 10:00  hard    study  review  1.0 s     1 day    30 days
"#,
    );
}

#[test]
fn card_at_40_columns() {
    snapshot(
        &render_card(
            &card_detail(&collection(), "jp/taberu", Some(days(10))).unwrap(),
            40,
            &Paint::plain(),
        ),
        r#"
jp/taberu
  食べる — to eat (godan? no: ichidan,
  一段動詞)
Deck      日本語の動詞 (jp)
State     review · interval 30 days ·
          due 2026-05-17 12:00 (in 3
          days)
Lapses    4 · leech
Memory    stability 30 days · difficulty
          5.00
Recall    100% now · 95% at 2026-05-24
          12:00
Retention 2 of 3 review answers passed
          (66.7%)
History   4 answers, 4.0 s in all

When              Rating  Interval
2026-04-04 12:00  good       1 day
2026-04-24 12:00  again    25 days
2026-05-11 12:00  good      3 days
2026-05-14 10:00  hard       1 day
"#,
    );
}

#[test]
fn report_at_80_columns() {
    snapshot(
        &render_stats(&compute(&collection()), 80, &Paint::plain()),
        r#"
Statistics for 2026-05-14 (days start at 04:00, UTC)

Cards
Deck          Cards  New  Learn  Young  Mature  Susp  Leech  Due  Ret 30d
日本語の動詞      2    1      0      0       1     0      1    0    66.7%
Geography         1    0      0      1       0     0      0    0    50.0%
All decks         3    1      0      1       1     0      1    0    60.0%

True retention (review answers passed)
        today  7 days  30 days  all time
young   50.0%   75.0%    75.0%     75.0%
mature      –       –     0.0%      0.0%
total   50.0%   75.0%    60.0%     60.0%
count       2       4        5         5

Due in the next 30 days
today 0 · tomorrow 0 · 7 days 2 · 30 days 2
2 ┤      █
  │      █
  │      █
  │      █
  │      █
  │      █
0 └───────────────────────────────────────────────────────────
   today         +7            +14           +21           +28

Reviews 7 in the last 26 weeks
    Nov Dec       Jan     Feb     Mar       Apr     May
Mon · · · · · · · · · · · · · · · · · · · · · · · · · █
Tue · · · · · · · · · · · · · · · · · · · · · · · · · █
Wed · · · · · · · · · · · · · · · · · · · · · · · · · █
Thu · · · · · · · · · · · · · · · · · · · · · · · · · █
Fri · · · · · · · · · · · · · · · · · · · · · · █ · ·
Sat · · · · · · · · · · · · · · · · · · · █ · · · · ·
Sun · · · · · · · · · · · · · · · · · · · · · · · · ·
    less · ░ ▒ ▓ █ more

Streak   4 days (longest 4 days) · 6 days studied
Studied  7.0 s in all · 2.0 s today
Answers  7 · 2 today · 1.0 s on average

Hardest cards
#  Card                                                           Lapses  Recall
1  jp/taberu  食べる — to eat (godan? no: ichidan, 一段動詞) · …       4    100%
2  geo/kuril  Which islands did the 1855 Treaty of Shimoda divi…       1     97%

Orphaned reviews
  1 answer of 1 card in no deck: old/gone
"#,
    );
}

#[test]
fn report_at_40_columns() {
    snapshot(
        &render_stats(&compute(&collection()), 40, &Paint::plain()),
        r#"
Statistics for 2026-05-14 (days start at
04:00, UTC)

Cards
Deck          New  Young  Mature  Due
日本語の動詞    1      0       1    0
Geography       0      1       0    0
All decks       1      1       1    0

True retention (review answers passed)
        today     7d    30d    all
young   50.0%  75.0%  75.0%  75.0%
mature      –      –   0.0%   0.0%
total   50.0%  75.0%  60.0%  60.0%
count       2      4      5      5

Due in the next 30 days
today 0 · tomorrow 0 · 7 days 2 · 30
days 2
2 ┤   █
  │   █
  │   █
  │   █
  │   █
  │   █
0 └──────────────────────────────
   today  +7     +14    +21    +28

Reviews 7 in the last 26 weeks
      Dec  Jan Feb Mar  Apr May
Mon ·························█
Tue ·························█
Wed ·························█
Thu ·························█
Fri ······················█··
Sat ···················█·····
Sun ·························
    less · ░ ▒ ▓ █ more

Streak   4 days (longest 4 days) · 6
         days studied
Studied  7.0 s in all · 2.0 s today
Answers  7 · 2 today · 1.0 s on average

Hardest cards
#  Card                   Lapses  Recall
1  jp/taberu  食べる — …       4    100%
2  geo/kuril  Which isl…       1     97%

Orphaned reviews
  1 answer of 1 card in no deck:
  old/gone
"#,
    );
}

/// Every output of the renderer for the sample collection, at `width`.
fn everything(width: usize, paint: &Paint) -> Vec<String> {
    let i = collection();
    let detail = card_detail(&i, "jp/taberu", Some(days(10))).expect("the card");
    vec![
        render_forecast(&forecast(), width, paint),
        render_heatmap(&heatmap(), width, paint),
        render_stats(&compute(&i), width, paint),
        render_card(&detail, width, paint),
    ]
}

#[test]
fn colour_is_graded_sgr_and_only_decoration() {
    let colored = Paint::colored();
    let heat = render_heatmap(&heatmap(), 80, &colored);
    for (code, glyph) in [
        ("38;5;240", '·'),
        ("38;5;22", '░'),
        ("38;5;28", '▒'),
        ("38;5;34", '▓'),
        ("38;5;46", '█'),
    ] {
        let cell = format!("\x1b[{code}m{glyph}\x1b[0m");
        assert!(heat.contains(&cell), "{cell:?} missing in {heat}");
    }
    let due = render_forecast(&forecast(), 80, &colored);
    assert!(due.contains("\x1b[33m█\x1b[0m"), "today's bar is yellow");
    assert!(due.contains("\x1b[36m█\x1b[0m"), "other bars are cyan");
    // Without the codes, the coloured text is the plain text.
    for width in [80, 40] {
        let plain = everything(width, &Paint::plain());
        let colour = everything(width, &colored);
        for (p, c) in plain.iter().zip(&colour) {
            assert!(c.contains('\x1b'));
            assert_eq!(&strip_ansi(c), p);
        }
    }
}

#[test]
fn plain_output_has_no_escape_codes_even_from_deck_text() {
    for width in [200, 80, 40, 20] {
        for text in everything(width, &Paint::plain()) {
            assert!(!text.contains('\x1b'), "{text}");
        }
    }
    // The question's "\x1b[2J" is shown harmlessly.
    let report = render_stats(&compute(&collection()), 200, &Paint::plain());
    assert!(report.contains("Shimoda divide?\u{FFFD}[2J"), "{report}");
}

#[test]
fn heatmap_shows_fewer_weeks_when_narrow() {
    let p = Paint::plain();
    let monday = |w| {
        let out = render_heatmap(&heatmap(), w, &p);
        assert!(out.lines().all(|l| kioku::display_width(l) <= w), "{out}");
        out.lines()
            .find(|l| l.starts_with("Mon "))
            .unwrap()
            .to_string()
    };
    // Weeks shown: the cells of the Monday row; the heading says so too.
    let weeks = |w| {
        let cells = monday(w)[4..].chars().filter(|c| *c != ' ').count();
        let out = render_heatmap(&heatmap(), w, &p);
        let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains(&format!("last {cells} weeks")), "{out}");
        cells
    };
    assert_eq!(weeks(80), 26);
    assert_eq!(weeks(56), 26);
    assert_eq!(weeks(30), 26);
    assert_eq!(weeks(29), 25);
    assert_eq!(weeks(20), 16);
    // Two columns a week while they fit, then one.
    assert_eq!(monday(56).chars().count(), 4 + 26 * 2 - 1);
    assert_eq!(monday(55).chars().count(), 4 + 26);
}

#[test]
fn forecast_shows_fewer_days_when_narrow() {
    let p = Paint::plain();
    let out = render_forecast(&forecast(), 20, &p);
    assert!(out.starts_with("Due, next 16 days\n"), "{out}");
    assert!(out.lines().all(|l| kioku::display_width(l) <= 20), "{out}");
}

#[test]
fn nothing_due_and_nothing_studied() {
    let p = Paint::plain();
    let empty = Forecast {
        days: vec![0; 30],
        overdue: 0,
        ..forecast()
    };
    assert_eq!(
        render_forecast(&empty, 80, &p),
        "Due nothing in the next 30 days\n"
    );
    let s = compute(&input());
    let report = render_stats(&s, 80, &p);
    assert!(
        report.contains("Hardest cards none: no card answered has been forgotten"),
        "{report}"
    );
    assert!(
        report.contains("Reviews 0 in the last 26 weeks"),
        "{report}"
    );
    assert!(!report.contains("Orphaned"), "{report}");
}

mod props {
    use proptest::prelude::*;

    use super::*;

    fn count() -> impl Strategy<Value = u64> {
        prop_oneof![0..20u64, 0..100_000u64, any::<u64>()]
    }

    fn fits(out: &str, width: usize) -> Result<(), TestCaseError> {
        for line in strip_ansi(out).lines() {
            prop_assert!(
                kioku::display_width(line) <= width,
                "{} > {width}: {line:?}",
                kioku::display_width(line)
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn charts_never_exceed_the_width(
            days in prop::collection::vec(count(), 30),
            heat in prop::collection::vec(count(), 182),
            overdue in count(),
            width in 20usize..160,
            colour in any::<bool>(),
        ) {
            let paint = if colour { Paint::colored() } else { Paint::plain() };
            let f = Forecast { days, overdue, ..forecast() };
            fits(&render_forecast(&f, width, &paint), width)?;
            let h = Heatmap { counts: heat, ..heatmap() };
            fits(&render_heatmap(&h, width, &paint), width)?;
        }

        #[test]
        fn the_report_never_exceeds_the_width(
            title in "\\PC{0,30}",
            question in "\\PC{0,80}",
            cards in count(),
            reviews in count(),
            ms in count(),
            width in 20usize..160,
            colour in any::<bool>(),
        ) {
            let paint = if colour { Paint::colored() } else { Paint::plain() };
            let mut i = collection();
            i.decks[0].title = title;
            i.cards[0].text = question;
            let mut s = compute(&i);
            s.overall.cards.total = cards;
            s.overall.cards.new = cards;
            s.decks[1].summary.cards.mature = cards;
            s.overall.activity.reviews = reviews;
            s.overall.activity.answer_ms_total = ms;
            s.overall.activity.streak.longest = reviews;
            s.overall.retention.all_time.total.answers = reviews;
            s.overall.hardest[0].lapses = cards as u32;
            s.orphans.reviews = reviews;
            fits(&render_stats(&s, width, &paint), width)?;
            let detail = card_detail(&i, "jp/taberu", Some(days(10))).expect("the card");
            fits(&render_card(&detail, width, &paint), width)?;
        }
    }
}

#[test]
#[ignore = "writes the current rendering to /tmp/kioku-stats-snapshots"]
fn dump() {
    let p = Paint::plain();
    let dir = std::path::Path::new("/tmp/kioku-stats-snapshots");
    std::fs::create_dir_all(dir).unwrap();
    let i = collection();
    let detail = card_detail(&i, "jp/taberu", Some(days(10))).expect("the card");
    for w in [80, 40] {
        let files = [
            ("forecast", render_forecast(&forecast(), w, &p)),
            ("heatmap", render_heatmap(&heatmap(), w, &p)),
            ("report", render_stats(&compute(&i), w, &p)),
            ("card", render_card(&detail, w, &p)),
        ];
        for (name, text) in files {
            std::fs::write(dir.join(format!("{name}_{w}.txt")), text).unwrap();
        }
    }
}
