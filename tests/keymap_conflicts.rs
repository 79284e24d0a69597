//! Every binding that a label key hides is named in the one message at open, not cut to
//! "and 1 more".

use crate::common;

use std::path::Path;

use common::*;
use stance::schema::Schema;

#[test]
fn every_hidden_binding_is_named() {
    let schema = Schema::parse(
        "[[labels]]\nname = \"alpha\"\nkey = \"a\"\n[[labels]]\nname = \"sigma\"\nkey = \"s\"\n\
         [[labels]]\nname = \"gamma\"\nkey = \"g\"\n",
        Path::new("schema.toml"),
    )
    .unwrap();
    let s = open(
        stance::app::Setup {
            schema,
            ..setup(three_articles())
        },
        80,
        24,
    );
    let message = s.message().expect("a warning at open").text.clone();
    for hidden in ["articles", "stats", "first_sentence"] {
        assert!(message.contains(&format!("hides {hidden}")), "{message}");
    }
    assert!(!message.contains("more)"), "{message}");
}
