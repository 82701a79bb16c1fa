//! Keeping the selected line of a list in view.

/// The first line to draw so that `selected` is visible in `height` lines,
/// moving the previous `scroll` as little as possible.
pub fn keep_visible(selected: usize, scroll: usize, height: usize) -> usize {
    if selected < scroll {
        selected
    } else if height > 0 && selected >= scroll + height {
        selected + 1 - height
    } else {
        scroll
    }
}

#[cfg(test)]
mod tests {
    use super::keep_visible;

    #[test]
    fn scrolls_only_as_far_as_needed() {
        assert_eq!(keep_visible(5, 0, 10), 0);
        assert_eq!(keep_visible(12, 0, 10), 3);
        assert_eq!(keep_visible(2, 3, 10), 2);
        assert_eq!(keep_visible(7, 3, 0), 3);
    }
}
