//! The JSON that `stance agree --json` prints: key order, pair names and nulls.

use stance::agree::Ratings;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn labels_keep_their_order_and_undefined_figures_are_null() {
    let mut ratings = Ratings::new(names(&["bob", "ana"]), names(&["zeta", "alpha"])).unwrap();
    ratings.push_unit([Some(["zeta"]), Some(["zeta"])]).unwrap();
    ratings.push_unit([Some([""; 0]), Some([])]).unwrap();
    // One decision only: not a unit.
    ratings.push_unit([Some(["alpha"]), None]).unwrap();
    let json = serde_json::to_string(&ratings.agreement()).unwrap();
    assert_eq!(
        json,
        concat!(
            r#"{"annotators":["bob","ana"],"units":2,"labels":{"#,
            r#""zeta":{"units":2,"percent":1.0,"cohen":{"ana|bob":1.0},"fleiss":1.0,"alpha":1.0,"ac1":1.0},"#,
            r#""alpha":{"units":2,"percent":1.0,"cohen":{"ana|bob":null},"fleiss":null,"alpha":null,"ac1":1.0}},"#,
            r#""set":{"units":2,"percent_exact":1.0,"alpha_masi":1.0}}"#
        )
    );
}

#[test]
fn cohen_pairs_are_sorted_names_joined_by_a_bar() {
    let mut ratings = Ratings::new(names(&["cy", "ana", "bob"]), names(&["x"])).unwrap();
    ratings
        .push_unit([Some(vec!["x"]), Some(vec![]), Some(vec!["x"])])
        .unwrap();
    ratings
        .push_unit([Some(vec![]), Some(vec!["x"]), None])
        .unwrap();
    let value = serde_json::to_value(ratings.agreement()).unwrap();
    let cohen = value["labels"]["x"]["cohen"].as_object().unwrap();
    let pairs: Vec<&str> = cohen.keys().map(String::as_str).collect();
    assert_eq!(pairs, ["ana|bob", "ana|cy", "bob|cy"]);
    let agreement = ratings.agreement();
    let listed: Vec<&str> = agreement.labels[0]
        .cohen
        .iter()
        .map(|p| p.pair.as_str())
        .collect();
    assert_eq!(listed, pairs);
    // cy and bob share one unit, where they agree on "x": chance agreement is total.
    assert!(cohen["bob|cy"].is_null());
    // ana and cy disagree on both units: po = 0, pe = 1/2, kappa = -1.
    assert_eq!(cohen["ana|cy"].as_f64(), Some(-1.0));
}
