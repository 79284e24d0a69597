//! `--order uncertain` with the encoder: the session's encoder ranks the candidate pool (the
//! current article and the ten articles on each side) by the model over embeddings, on the
//! real all-MiniLM-L6-v2, and the pool follows the article the analyst is on.

use crate::common::encoder;

use std::sync::Arc;

use stance::corpus::Article;
use stance::model::Example;
use stance::model::embed::SentenceEncoder;
use stance::model::embed::session::{EncoderInput, POOL_ARTICLES, SessionEncoder};
use stance::schema::Schema;
use stance::store::Overrides;

const TOPICS: [&str; 4] = [
    "The ministers met in Geneva to resume peace talks.",
    "The union imposed new sanctions and froze the bank's assets.",
    "Troops and tanks crossed the border before dawn.",
    "The bakery on the corner sold out of bread by noon.",
];

fn corpus(articles: usize) -> Vec<Article> {
    (0..articles)
        .map(|a| Article {
            id: format!("a{a}"),
            title: String::new(),
            text: format!(
                "{} Article {a} goes on here. {}",
                TOPICS[a % 4],
                TOPICS[(a + 1) % 4]
            ),
            meta: Vec::new(),
            source: format!("test:{a}"),
        })
        .collect()
}

/// Five positives and five negatives for each label, so that every label has a model.
fn training() -> Vec<Example> {
    (0..40)
        .map(|i| Example {
            article: 1000 + i,
            sentence: 0,
            text: format!("{} Note {i}.", TOPICS[i % 4]),
            labels: if i % 4 == 3 { vec![] } else { vec![i % 4] },
        })
        .collect()
}

fn keys_of(articles: &[Article], range: std::ops::Range<usize>) -> Vec<(usize, usize, usize)> {
    range
        .flat_map(|a| {
            stance::boundary::sentences(&articles[a], &Overrides::default())
                .into_iter()
                .map(move |s| (a, s.start, s.end))
        })
        .collect()
}

#[test]
fn the_pool_around_the_current_article_is_ranked_least_sure_first() {
    let Some(dir) = encoder::folder() else { return };
    let articles = Arc::new(corpus(40));
    let schema = Schema::default();
    let input = EncoderInput {
        encoder: SentenceEncoder::load(&dir).unwrap(),
        store: None,
    };
    let mut session = SessionEncoder::new(
        input,
        &schema,
        training(),
        Arc::clone(&articles),
        Overrides::default(),
    );
    assert!(
        session.rank_pool().is_none(),
        "no ranking before the model is trained"
    );
    session.focus(5);
    let mut trained = false;
    while !session.ready() {
        assert!(
            session.step(&mut trained),
            "the training sentences get embedded"
        );
    }
    while session.pool_growing() {
        assert!(session.step(&mut trained));
    }
    let ranked = session.rank_pool().unwrap();
    let mut expected = keys_of(&articles, 0..5 + POOL_ARTICLES + 1);
    let mut got = ranked.clone();
    got.sort_unstable();
    expected.sort_unstable();
    assert_eq!(
        got, expected,
        "the pool is articles 0 to 15, every sentence once"
    );

    // Least sure first, as each sentence's own score says.
    let uncertainty: Vec<f64> = ranked
        .iter()
        .map(|&(a, start, end)| {
            session
                .suggest(&articles[a].text[start..end])
                .unwrap()
                .uncertainty
        })
        .collect();
    assert!(
        uncertainty.windows(2).all(|w| w[0] >= w[1]),
        "{uncertainty:?}"
    );
    assert!(uncertainty.first() > uncertainty.last(), "{uncertainty:?}");

    // The pool follows the analyst: around article 30 it holds only what has an embedding
    // there, and once embedded it is articles 20 to 39.
    assert!(session.focus(30));
    assert!(
        !session.focus(30),
        "the same article does not move the pool"
    );
    while session.pool_growing() {
        assert!(session.step(&mut trained));
    }
    let mut moved = session.rank_pool().unwrap();
    moved.sort_unstable();
    assert_eq!(moved, keys_of(&articles, 30 - POOL_ARTICLES..40));
}
