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

/// The first line to draw in a long list of `len` lines: when the selection
/// leaves the view, the view jumps to put it in the middle rather than
/// creeping one line per key. Over SSH a one-line scroll redraws every line
/// (some 8 KB at 120×40); this way holding a key redraws the list once per
/// half page, and the moves between cost only the two lines that change.
/// (The customer list scrolls line by line instead: its backend scrolls the
/// terminal's rows, see `crate::lean_backend`.)
pub fn jump_visible(selected: usize, scroll: usize, height: usize, len: usize) -> usize {
    if height == 0 {
        return scroll;
    }
    let scroll =
        if selected < scroll || selected >= scroll + height { selected.saturating_sub(height / 2) } else { scroll };
    scroll.min(len.saturating_sub(height))
}

#[cfg(test)]
mod tests {
    use super::{jump_visible, keep_visible};

    #[test]
    fn long_lists_jump_half_a_page_and_never_past_the_end() {
        // In view: no move.
        assert_eq!(jump_visible(5, 0, 10, 100), 0);
        // One past the bottom: the selection lands in the middle.
        assert_eq!(jump_visible(10, 0, 10, 100), 5);
        // The next four moves redraw nothing but the two changed lines.
        assert_eq!(jump_visible(14, 5, 10, 100), 5);
        // One above the top: again the middle.
        assert_eq!(jump_visible(4, 5, 10, 100), 0);
        assert_eq!(jump_visible(29, 30, 10, 100), 24);
        // Near the end the last page stays full.
        assert_eq!(jump_visible(99, 90, 10, 100), 90);
        assert_eq!(jump_visible(95, 80, 10, 100), 90);
        // A list shorter than the view never scrolls; no height, no move.
        assert_eq!(jump_visible(3, 2, 10, 5), 0);
        assert_eq!(jump_visible(3, 2, 0, 5), 2);
    }

    #[test]
    fn scrolls_only_as_far_as_needed() {
        assert_eq!(keep_visible(5, 0, 10), 0);
        assert_eq!(keep_visible(12, 0, 10), 3);
        assert_eq!(keep_visible(2, 3, 10), 2);
        assert_eq!(keep_visible(7, 3, 0), 3);
    }
}
