//! Bars drawn with block characters, for the progress gauges and the distribution charts (on
//! screen and in `stance stats`).

/// Eighths of a cell, from one eighth to a full block.
const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// A bar of `fraction` (clamped to 0–1) of `width` cells, to an eighth of a cell, without
/// padding: a non-zero fraction always shows at least one eighth.
pub fn bar(fraction: f64, width: usize) -> String {
    let fraction = if fraction.is_nan() {
        0.0
    } else {
        fraction.clamp(0.0, 1.0)
    };
    let mut eighths = (fraction * width as f64 * 8.0).round() as usize;
    if eighths == 0 && fraction > 0.0 && width > 0 {
        eighths = 1;
    }
    let mut out = String::with_capacity(width * 3);
    out.extend(std::iter::repeat_n('█', eighths / 8));
    if !eighths.is_multiple_of(8) {
        out.push(EIGHTHS[eighths % 8 - 1]);
    }
    out
}

/// A gauge of exactly `width` cells: whole cells filled for `done` of `total`, the rest light
/// shade. Full only when everything is done.
pub fn gauge(done: usize, total: usize, width: usize) -> (String, String) {
    let mut filled = (done.min(total) * width).checked_div(total).unwrap_or(0);
    if done > 0 && filled == 0 && total > 0 && width > 0 {
        filled = 1;
    }
    if done < total && filled == width && width > 0 {
        filled -= 1;
    }
    ("█".repeat(filled), "░".repeat(width.saturating_sub(filled)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_gauges() {
        assert_eq!(bar(0.0, 10), "");
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 3), "█▌");
        assert_eq!(bar(0.001, 10), "▏");
        assert_eq!(bar(f64::NAN, 10), "");
        assert_eq!(gauge(0, 8, 4), (String::new(), "░░░░".into()));
        assert_eq!(gauge(4, 8, 4), ("██".into(), "░░".into()));
        assert_eq!(gauge(1, 1000, 4), ("█".into(), "░░░".into()));
        assert_eq!(gauge(999, 1000, 4), ("███".into(), "░".into()));
        assert_eq!(gauge(8, 8, 4), ("████".into(), String::new()));
        assert_eq!(gauge(3, 0, 4).1, "░░░░");
    }
}
