//! [`Span`]: a half-open range of UTF-8 byte offsets into the text, always on char boundaries.
//! The only offset unit inside the core; see [`crate::offsets`] for the units at the edges.

use std::ops::Index;

/// Half-open byte range `start..end` into a text. Both ends lie on char boundaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes). Debug builds check `start <= end`.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl Index<Span> for str {
    type Output = str;
    fn index(&self, span: Span) -> &str {
        &self[span.start..span.end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_text_by_bytes() {
        let text = "Kalin warned “strongest way”";
        let q = Span::new(text.find("strongest").unwrap(), text.find("”").unwrap());
        assert_eq!(&text[q], "strongest way");
        assert!(Span::new(0, 5).overlaps(Span::new(4, 9)));
        assert!(!Span::new(0, 5).overlaps(Span::new(5, 9)));
        assert!(Span::new(0, 9).contains(Span::new(2, 9)));
    }
}
