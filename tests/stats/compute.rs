//! Every figure of `compute` and `card_detail` on logs with known answers.

use jiff::civil::date;
use jiff::tz::{self, TimeZone};
use kioku::Rating::{self, Again, Easy, Good, Hard};
use kioku::stats::compute::{FORECAST_DAYS, HEATMAP_DAYS, Share, retrievability};
use kioku::stats::{
    CardInfo, CardState, OrphanInfo, ReviewKind, StatsInput, card_detail, compute, start_of_day,
    study_day,
};

use crate::support::*;

fn share(passed: u64, answers: u64) -> Share {
    Share {
        passed,
        answers,
        rate: (answers > 0).then(|| passed as f64 / answers as f64),
    }
}

/// One card with these answers (review kind, young), at these times.
fn card_with(key: &str, reviews: Vec<kioku::stats::ReviewInfo>) -> CardInfo {
    CardInfo {
        reviews,
        ..review_card(key, 5.0)
    }
}

fn studied_on(day_offsets: &[i64]) -> StatsInput {
    let mut i = input();
    i.cards = vec![card_with(
        "a/x",
        day_offsets.iter().map(|&d| answer(days(d), Good)).collect(),
    )];
    i
}

#[test]
fn cards_by_state() {
    let mut i = input();
    i.decks = vec![deck("a", "A")];
    i.cards = vec![
        card("a/new1"),
        card("a/new2"),
        CardInfo {
            state: CardState::Learning,
            ..card("a/learn")
        },
        review_card("a/young", 20.9),
        review_card("a/mature21", 21.0),
        review_card("a/mature100", 100.0),
        CardInfo {
            suspended: true,
            ..review_card("a/susp", 50.0)
        },
        CardInfo {
            suspended: true,
            ..card("a/suspnew")
        },
        CardInfo {
            leech: true,
            ..review_card("a/leech", 3.0)
        },
        CardInfo {
            leech: true,
            suspended: true,
            ..review_card("a/leechsusp", 3.0)
        },
    ];
    let s = compute(&i);
    let c = s.decks[0].summary.cards;
    assert_eq!(
        (
            c.total,
            c.new,
            c.learning,
            c.young,
            c.mature,
            c.suspended,
            c.leeches
        ),
        (10, 2, 1, 2, 2, 3, 2)
    );
    assert_eq!(
        c.new + c.learning + c.young + c.mature + c.suspended,
        c.total
    );
    assert_eq!(s.overall.cards, c);
}

#[test]
fn decks_keep_input_order_and_unknown_decks_come_last() {
    let mut i = input();
    i.decks = vec![deck("b", "Bee"), deck("a", "日本語"), deck("d", "Empty")];
    i.cards = vec![card("a/x"), card("b/y"), card("c/z"), card("a/w")];
    let s = compute(&i);
    let ids: Vec<_> = s.decks.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["b", "a", "d", "c"]);
    let titles: Vec<_> = s.decks.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, ["Bee", "日本語", "Empty", "c"]);
    let totals: Vec<_> = s.decks.iter().map(|d| d.summary.cards.total).collect();
    assert_eq!(totals, [1, 2, 0, 1]);
    assert_eq!(s.overall.cards.total, 4);
    let empty = &s.decks[2].summary;
    assert_eq!(empty.retention.all_time.total, share(0, 0));
    assert_eq!(empty.retention.all_time.total.rate, None);
    assert_eq!(empty.activity.answer_ms_average, None);
    assert!(empty.hardest.is_empty());
}

#[test]
fn true_retention_by_window_young_and_mature() {
    let mut i = input();
    let reviews = vec![
        with_interval(answer(days(-40), Good), 30.0), // all time, mature
        answer(days(-30), Again),                     // all time (30 days ago)
        answer(days(-29), Good),                      // 30 days
        with_interval(answer(days(-7), Again), 21.5), // 30 days, mature
        answer(days(-6), Hard),                       // 7 days
        answer(ts("2026-05-14T03:59:00Z"), Good),     // yesterday: before 4 am
        answer(ts("2026-05-14T04:00:00Z"), Again),    // today
        kioku::stats::ReviewInfo {
            interval_before_days: None, // unknown interval: young
            ..answer(hours(-1.0), Easy)
        },
        with_interval(answer(hours(-0.5), Good), 21.0), // today, mature (21 is mature)
        with_kind(answer(hours(-0.2), Again), ReviewKind::Learn), // not retention
        with_kind(answer(hours(-0.1), Again), ReviewKind::Relearn), // not retention
    ];
    i.cards = vec![card_with("a/x", reviews)];
    let s = compute(&i);
    let r = &s.decks[0].summary.retention;
    assert_eq!(
        (r.today.young, r.today.mature, r.today.total),
        (share(1, 2), share(1, 1), share(2, 3))
    );
    assert_eq!(
        (
            r.last_7_days.young,
            r.last_7_days.mature,
            r.last_7_days.total
        ),
        (share(3, 4), share(1, 1), share(4, 5))
    );
    assert_eq!(
        (
            r.last_30_days.young,
            r.last_30_days.mature,
            r.last_30_days.total
        ),
        (share(4, 5), share(1, 2), share(5, 7))
    );
    assert_eq!(
        (r.all_time.young, r.all_time.mature, r.all_time.total),
        (share(4, 6), share(2, 3), share(6, 9))
    );
    assert_eq!(s.overall.retention, *r);
    let a = &s.decks[0].summary.activity;
    assert_eq!((a.reviews, a.reviews_today), (11, 5));
}

#[test]
fn retention_without_data_is_none_not_zero() {
    let mut i = input();
    i.cards = vec![card_with("a/x", vec![answer(hours(-1.0), Again)])];
    let r = compute(&i).overall.retention;
    assert_eq!(r.today.young, share(0, 1));
    assert_eq!(r.today.young.rate, Some(0.0));
    assert_eq!(r.today.mature, share(0, 0));
    assert_eq!(r.today.mature.rate, None);
}

#[test]
fn forecast_counts_overdue_on_day_zero() {
    let mut i = input();
    let due = |key: &str, t| CardInfo {
        due: Some(t),
        ..review_card(key, 10.0)
    };
    i.cards = vec![
        due("a/overdue", days(-3)),
        // 03:00 today is still yesterday's study day: overdue.
        due("a/before-rollover", ts("2026-05-14T03:00:00Z")),
        due("a/tonight", hours(5.0)),
        due("a/late", ts("2026-05-15T03:59:00Z")),
        due("a/tomorrow", ts("2026-05-15T04:00:00Z")),
        CardInfo {
            state: CardState::Learning,
            ..due("a/learning", hours(0.1))
        },
        due("a/day29", days(29)),
        due("a/day30", days(30)),
        CardInfo {
            suspended: true,
            ..due("a/suspended", hours(1.0))
        },
        CardInfo {
            state: CardState::New,
            ..due("a/new", hours(1.0))
        },
        CardInfo {
            due: None,
            ..review_card("a/nodue", 10.0)
        },
    ];
    let f = compute(&i).overall.forecast;
    assert_eq!(f.start, date(2026, 5, 14));
    assert_eq!(f.days.len(), FORECAST_DAYS);
    assert_eq!(f.overdue, 2);
    let mut expected = vec![0u64; FORECAST_DAYS];
    expected[0] = 5;
    expected[1] = 1;
    expected[29] = 1;
    assert_eq!(f.days, expected);
}

#[test]
fn heatmap_days_roll_over_at_4_am() {
    let mut i = input();
    i.cards = vec![card_with(
        "a/x",
        vec![
            answer(ts("2025-11-14T03:59:59Z"), Good), // 2025-11-13: before the heatmap
            answer(ts("2025-11-14T04:00:00Z"), Good), // first day of the heatmap
            answer(ts("2026-05-14T03:59:59Z"), Good), // yesterday
            answer(ts("2026-05-14T04:00:00Z"), Good), // today
        ],
    )];
    let s = compute(&i);
    let h = &s.overall.activity.heatmap;
    assert_eq!(h.counts.len(), HEATMAP_DAYS);
    assert_eq!(h.start, date(2025, 11, 14));
    assert_eq!(h.date(181), date(2026, 5, 14));
    assert_eq!((h.counts[0], h.counts[180], h.counts[181]), (1, 1, 1));
    assert_eq!(h.counts.iter().sum::<u64>(), 3);
    assert_eq!(s.overall.activity.reviews, 4);
    assert_eq!(s.today, date(2026, 5, 14));

    // With the day starting at midnight, 03:59 is today.
    let mut i = i.clone();
    i.day_starts_at_hour = 0;
    let h = compute(&i).overall.activity.heatmap;
    assert_eq!((h.counts[180], h.counts[181]), (0, 2));
}

#[test]
fn heatmap_days_follow_the_local_time_zone() {
    // Tokyo, +09:00: 2026-05-13T19:00Z is 04:00 on the 14th.
    let mut i = input();
    i.tz = TimeZone::fixed(tz::offset(9));
    i.cards = vec![card_with(
        "a/x",
        vec![
            answer(ts("2026-05-13T18:59:00Z"), Good),
            answer(ts("2026-05-13T19:00:00Z"), Good),
        ],
    )];
    let h = compute(&i).overall.activity.heatmap;
    assert_eq!((h.counts[180], h.counts[181]), (1, 1));
}

#[test]
fn days_follow_daylight_saving_time() {
    let mut i = input();
    i.tz = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").unwrap();
    // Summer time began 2026-03-08 at 07:00Z: 08:00Z is 04:00 EDT (03:00 EST).
    let spring = [ts("2026-03-08T07:30:00Z"), ts("2026-03-08T08:00:00Z")];
    // And ended 2025-11-02 at 06:00Z: 09:00Z is 04:00 EST.
    let autumn = [ts("2025-11-02T08:30:00Z"), ts("2025-11-02T09:00:00Z")];
    assert_eq!(study_day(&i, spring[0]), date(2026, 3, 7));
    assert_eq!(study_day(&i, spring[1]), date(2026, 3, 8));
    assert_eq!(study_day(&i, autumn[0]), date(2025, 11, 1));
    assert_eq!(study_day(&i, autumn[1]), date(2025, 11, 2));
    i.cards = vec![card_with(
        "a/x",
        spring.iter().map(|&t| answer(t, Good)).collect(),
    )];
    let h = compute(&i).overall.activity.heatmap;
    assert_eq!(h.date(113), date(2026, 3, 7));
    assert_eq!((h.counts[113], h.counts[114]), (1, 1));
    // Now is 08:00 EDT on the 14th.
    assert_eq!(study_day(&i, i.now), date(2026, 5, 14));
}

#[test]
fn start_of_day_is_the_rollover_hour_local() {
    let mut i = input();
    assert_eq!(
        start_of_day(&i, date(2026, 6, 1)),
        ts("2026-06-01T04:00:00Z")
    );
    i.tz = TimeZone::fixed(tz::offset(9));
    assert_eq!(
        start_of_day(&i, date(2026, 6, 1)),
        ts("2026-05-31T19:00:00Z")
    );
}

#[test]
fn streak_ends_yesterday_when_today_is_empty() {
    let a = compute(&studied_on(&[-10, -9, -8, -6, -5, -4, -3, -2, -1]))
        .overall
        .activity;
    assert_eq!((a.streak.current, a.streak.longest), (6, 6));
    assert_eq!(a.days_studied, 9);
}

#[test]
fn streak_includes_today() {
    let a = compute(&studied_on(&[-10, -9, -8, -6, -5, -4, -3, -2, -1, 0]))
        .overall
        .activity;
    assert_eq!((a.streak.current, a.streak.longest), (7, 7));
    assert_eq!(a.days_studied, 10);
}

#[test]
fn streak_is_broken_by_an_empty_yesterday() {
    let a = compute(&studied_on(&[-10, -9, -2])).overall.activity;
    assert_eq!((a.streak.current, a.streak.longest), (0, 2));
}

#[test]
fn several_answers_in_a_day_count_once() {
    let mut i = input();
    i.cards = vec![card_with(
        "a/x",
        vec![answer(hours(-2.0), Good), answer(hours(-1.0), Good)],
    )];
    let a = compute(&i).overall.activity;
    assert_eq!(
        (a.streak.current, a.streak.longest, a.days_studied),
        (1, 1, 1)
    );
}

#[test]
fn longest_streak_spans_many_words_of_days() {
    let mut offsets: Vec<i64> = (-299..=-200).collect();
    offsets.push(0);
    let a = compute(&studied_on(&offsets)).overall.activity;
    assert_eq!((a.streak.current, a.streak.longest), (1, 100));
    assert_eq!(a.days_studied, 101);
}

#[test]
fn old_history_beyond_the_fast_path_is_still_counted() {
    // Eleven years back, in a zone with DST: the slow offset lookup.
    let mut i = studied_on(&[-4100, -4099, -4098, -1]);
    i.tz = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").unwrap();
    let a = compute(&i).overall.activity;
    assert_eq!((a.streak.current, a.streak.longest), (1, 3));
    assert_eq!(a.days_studied, 4);
}

#[test]
fn out_of_order_history_is_still_counted() {
    let a = compute(&studied_on(&[-1, -300, -2, -301, -3]))
        .overall
        .activity;
    assert_eq!((a.streak.current, a.streak.longest), (3, 3));
    assert_eq!(a.days_studied, 5);
}

#[test]
fn orphaned_reviews_count_in_overall_activity_only() {
    let mut i = input();
    i.decks = vec![deck("a", "A")];
    i.cards = vec![card_with(
        "a/x",
        vec![
            with_ms(answer(days(-2), Good), 2000),
            with_ms(answer(days(-1), Good), 6000),
            with_ms(answer(hours(-1.0), Again), 1000),
        ],
    )];
    i.orphans = vec![
        OrphanInfo {
            key: "z/2".into(),
            reviews: vec![
                with_ms(answer(days(-3), Good), 500),
                with_ms(answer(hours(-2.0), Good), 3000),
            ],
        },
        OrphanInfo {
            key: "y/1".into(),
            reviews: vec![with_ms(answer(days(-100), Again), 500)],
        },
    ];
    let s = compute(&i);
    assert_eq!(s.orphans.cards, 2);
    assert_eq!(s.orphans.reviews, 3);
    assert_eq!(s.orphans.keys, ["y/1", "z/2"]);
    assert_eq!(s.decks.len(), 1);

    let deck = &s.decks[0].summary.activity;
    assert_eq!((deck.reviews, deck.reviews_today), (3, 1));
    assert_eq!((deck.answer_ms_total, deck.answer_ms_today), (9000, 1000));
    assert_eq!(deck.answer_ms_average, Some(3000.0));
    assert_eq!((deck.streak.current, deck.streak.longest), (3, 3));

    let all = &s.overall.activity;
    assert_eq!((all.reviews, all.reviews_today), (6, 2));
    assert_eq!((all.answer_ms_total, all.answer_ms_today), (13000, 4000));
    assert_eq!(all.answer_ms_average, Some(13000.0 / 6.0));
    assert_eq!((all.streak.current, all.streak.longest), (4, 4));
    assert_eq!(all.days_studied, 5);
    // Not in retention or card counts.
    assert_eq!(s.overall.retention.all_time.total, share(2, 3));
    assert_eq!(s.overall.cards.total, 1);
}

#[test]
fn a_card_never_forgotten_and_well_recalled_is_not_among_the_hardest() {
    let mut i = input();
    let answered = |key: &str, stability: f32, last: i64| CardInfo {
        stability: Some(stability),
        last_review: Some(days(last)),
        ..review_card(key, 10.0)
    };
    // Answered yesterday with ten days' stability: about 99% recall now.
    // Answered a hundred days ago with one day's: far below 90%.
    i.cards = vec![answered("h/easy", 10.0, -1), answered("h/faded", 1.0, -100)];
    let s = compute(&i);
    let keys: Vec<&str> = s.overall.hardest.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["h/faded"]);
    i.cards.truncate(1);
    assert!(compute(&i).overall.hardest.is_empty());
}

#[test]
fn hardest_cards_most_lapses_then_lowest_recall() {
    let mut i = input();
    let lapsed = |key: &str, lapses, stability: f32, last: i64| CardInfo {
        lapses,
        stability: Some(stability),
        last_review: Some(days(last)),
        ..review_card(key, 10.0)
    };
    i.cards = vec![
        lapsed("h/a", 3, 10.0, -1),
        lapsed("h/b", 3, 10.0, -30),
        lapsed("h/c", 5, 10.0, -1),
        lapsed("h/d", 0, 1.0, -100),
        card("h/new"),
    ];
    for n in 0..10 {
        i.cards.push(lapsed(&format!("g/f{n}"), 1, 100.0, -1));
    }
    let s = compute(&i);
    let keys = |cards: &[kioku::stats::compute::HardCard]| -> Vec<String> {
        cards.iter().map(|c| c.key.clone()).collect()
    };
    assert_eq!(
        keys(&s.decks[0].summary.hardest),
        ["h/c", "h/b", "h/a", "h/d"]
    );
    assert_eq!(s.decks[1].summary.hardest.len(), 10);
    let mut expected = vec!["h/c", "h/b", "h/a"];
    expected.extend(["g/f0", "g/f1", "g/f2", "g/f3", "g/f4", "g/f5", "g/f6"]);
    assert_eq!(keys(&s.overall.hardest), expected);

    let c = &s.overall.hardest[0];
    assert_eq!(c.lapses, 5);
    assert_eq!(
        c.retrievability,
        Some(retrievability(10.0, 5.0, 1.0, i.decay))
    );
    let b = s.overall.hardest[1].retrievability.unwrap();
    let a = s.overall.hardest[2].retrievability.unwrap();
    assert!(b < a, "{b} < {a}");
}

#[test]
fn retrievability_is_ninety_percent_after_stability_days() {
    // FSRS defines stability as the interval at which recall falls to 90%.
    let r = retrievability(10.0, 5.0, 10.0, input().decay);
    assert!((r - 0.9).abs() < 1e-4, "{r}");
    assert_eq!(retrievability(10.0, 5.0, 0.0, 0.1542), 1.0);
}

fn detail_input() -> StatsInput {
    let mut i = input();
    i.decks = vec![deck("a", "A")];
    let mut r = vec![
        with_kind(answer(days(-20), Good), ReviewKind::Learn),
        with_interval(answer(days(-12), Good), 3.0),
        with_interval(answer(days(-2), Again), 8.0),
    ];
    r[0].interval_before_days = None;
    for (review, s) in r.iter_mut().zip([3.0, 8.0, 10.0]) {
        review.stability_after = Some(s);
        review.difficulty_after = Some(6.0);
    }
    i.cards = vec![CardInfo {
        stability: Some(10.0),
        difficulty: Some(6.0),
        last_review: Some(days(-2)),
        due: Some(days(8)),
        interval_days: 10.0,
        lapses: 1,
        reviews: r,
        ..review_card("a/x", 10.0)
    }];
    i.orphans = vec![OrphanInfo {
        key: "gone/y".into(),
        reviews: vec![with_stability(answer(days(-5), Good), 4.0)],
    }];
    i
}

fn with_stability(r: kioku::stats::ReviewInfo, s: f32) -> kioku::stats::ReviewInfo {
    kioku::stats::ReviewInfo {
        stability_after: Some(s),
        difficulty_after: Some(5.0),
        ..r
    }
}

#[test]
fn card_detail_memory_state_and_recall() {
    let i = detail_input();
    let d = card_detail(&i, "a/x", Some(days(30))).unwrap();
    assert_eq!((d.stability, d.difficulty), (Some(10.0), Some(6.0)));
    assert_eq!(d.deck_title.as_deref(), Some("A"));
    assert_eq!(d.state, Some(CardState::Review));
    assert_eq!(d.lapses, 1);
    assert!(!d.orphan);
    assert_eq!(
        d.retrievability_now,
        Some(retrievability(10.0, 6.0, 2.0, i.decay))
    );
    assert_eq!(
        d.retrievability_at,
        Some(retrievability(10.0, 6.0, 32.0, i.decay))
    );
    assert_eq!(d.due_local.as_deref(), Some("2026-05-22 12:00"));
    assert_eq!(d.due_in_days, Some(8.0));
    assert_eq!(d.at_local.as_deref(), Some("2026-06-13 12:00"));
    assert_eq!(d.retention, share(1, 2));
    assert_eq!(d.answer_ms_total, 3000);

    let h = &d.history;
    assert_eq!(h.len(), 3);
    assert_eq!(h[0].local, "2026-04-24 12:00");
    let elapsed: Vec<_> = h.iter().map(|e| e.elapsed_days).collect();
    assert_eq!(elapsed, [None, Some(8.0), Some(10.0)]);
    assert_eq!(h[2].rating, Again);
    assert_eq!(h[1].stability_after, Some(8.0));
}

#[test]
fn card_detail_recall_falls_over_time() {
    let i = detail_input();
    let at = |d: i64| {
        card_detail(&i, "a/x", Some(days(d)))
            .unwrap()
            .retrievability_at
            .unwrap()
    };
    let curve: Vec<f32> = [-2, 0, 1, 10, 100, 1000].into_iter().map(at).collect();
    assert_eq!(curve[0], 1.0);
    assert!(curve.windows(2).all(|w| w[0] > w[1]), "{curve:?}");
}

#[test]
fn card_detail_at_a_past_date_uses_the_state_then() {
    let i = detail_input();
    let d = card_detail(&i, "a/x", Some(days(-5))).unwrap();
    // After the answer at -12 days stability was 8; 7 days later:
    assert_eq!(
        d.retrievability_at,
        Some(retrievability(8.0, 6.0, 7.0, i.decay))
    );
    let before = card_detail(&i, "a/x", Some(days(-25))).unwrap();
    assert_eq!(before.retrievability_at, None);
}

#[test]
fn card_detail_of_orphans_and_unknown_keys() {
    let i = detail_input();
    assert!(card_detail(&i, "a/nope", None).is_none());
    let d = card_detail(&i, "gone/y", None).unwrap();
    assert!(d.orphan);
    assert_eq!(d.deck_id, "gone");
    assert_eq!(d.state, None);
    assert_eq!(d.stability, Some(4.0));
    assert_eq!(
        d.retrievability_now,
        Some(retrievability(4.0, 5.0, 5.0, i.decay))
    );
    assert_eq!(d.history.len(), 1);
}

#[test]
fn empty_collection() {
    let s = compute(&input());
    assert_eq!(s.overall.cards.total, 0);
    assert_eq!(s.overall.retention.all_time.total.rate, None);
    assert_eq!(s.overall.activity.streak.current, 0);
    assert_eq!(s.overall.activity.answer_ms_average, None);
    assert!(s.overall.hardest.is_empty());
    assert!(s.decks.is_empty());
    assert_eq!(s.overall.forecast.days, vec![0; FORECAST_DAYS]);
}

#[test]
fn json_has_every_figure_with_dates_as_strings() {
    let i = detail_input();
    let v = serde_json::to_value(compute(&i)).unwrap();
    assert_eq!(v["now"], "2026-05-14T12:00:00Z");
    assert_eq!(v["today"], "2026-05-14");
    assert_eq!(v["day_starts_at_hour"], 4);
    assert_eq!(v["decks"][0]["id"], "a");
    assert_eq!(v["decks"][0]["title"], "A");
    assert_eq!(v["decks"][0]["cards"]["young"], 1);
    let r = &v["overall"]["retention"];
    assert_eq!(r["all_time"]["total"]["passed"], 1);
    assert_eq!(r["all_time"]["total"]["answers"], 2);
    assert_eq!(r["all_time"]["total"]["rate"], 0.5);
    assert!(r["today"]["mature"]["rate"].is_null());
    assert_eq!(v["overall"]["forecast"]["start"], "2026-05-14");
    assert_eq!(
        v["overall"]["forecast"]["days"].as_array().unwrap().len(),
        30
    );
    let heat = &v["overall"]["activity"]["heatmap"];
    assert_eq!(heat["start"], "2025-11-14");
    assert_eq!(heat["counts"].as_array().unwrap().len(), 182);
    assert_eq!(v["overall"]["activity"]["streak"]["longest"], 1);
    assert_eq!(v["overall"]["hardest"][0]["key"], "a/x");
    assert_eq!(v["orphans"]["keys"][0], "gone/y");

    let d = serde_json::to_value(card_detail(&i, "a/x", None).unwrap()).unwrap();
    assert_eq!(d["due"], "2026-05-22T12:00:00Z");
    assert_eq!(d["history"][2]["rating"], "again");
    assert_eq!(d["history"][0]["kind"], "learn");
    assert_eq!(d["history"][0]["mode"], "study");
    assert!(d["at"].is_null());
}

#[test]
fn ratings_pass_unless_again() {
    assert!(!Rating::Again.passed());
    assert!(Hard.passed() && Good.passed() && Easy.passed());
}
