//! Byte offsets (the core's unit) ↔ the units at the edges: Unicode code points (the CLI, the gold
//! files, Python) and UTF-16 code units (JavaScript strings).
//!
//! [`OffsetIndex`] is built in one pass over the text and stores only its non-ASCII chars, so an
//! ASCII text costs nothing and a lookup is a binary search: never a recount of the prefix per span.

/// Which unit offsets are given in at an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Unicode scalar values (Rust `char`, Python `str` index).
    CodePoint,
    /// UTF-16 code units (JavaScript `String` index): chars above U+FFFF count twice.
    Utf16,
}

/// Converts byte offsets of one text to code-point or UTF-16 offsets and back.
#[derive(Clone, Debug)]
pub struct OffsetIndex {
    /// Byte offset of each non-ASCII char, ascending.
    starts: Vec<usize>,
    /// For each entry of `starts`: bytes saved before and including that char, counting in code points.
    cp_saved: Vec<usize>,
    /// The same, counting in UTF-16 code units.
    u16_saved: Vec<usize>,
    /// Byte length of each entry of `starts`.
    lens: Vec<u8>,
    text_len: usize,
}

impl OffsetIndex {
    /// Indexes `text` in one pass.
    pub fn new(text: &str) -> OffsetIndex {
        let (mut starts, mut cp_saved, mut u16_saved, mut lens) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut cp, mut u16) = (0, 0);
        for (i, c) in text.char_indices() {
            let n = c.len_utf8();
            if n > 1 {
                cp += n - 1;
                u16 += n - c.len_utf16();
                starts.push(i);
                cp_saved.push(cp);
                u16_saved.push(u16);
                lens.push(n as u8);
            }
        }
        OffsetIndex { starts, cp_saved, u16_saved, lens, text_len: text.len() }
    }

    /// Converts a byte offset on a char boundary to `unit`.
    pub fn from_byte(&self, byte: usize, unit: Unit) -> usize {
        // chars starting before `byte` are wholly before it (byte is on a boundary)
        let k = self.starts.partition_point(|&s| s < byte);
        if k == 0 {
            return byte;
        }
        let saved = match unit {
            Unit::CodePoint => self.cp_saved[k - 1],
            Unit::Utf16 => self.u16_saved[k - 1],
        };
        byte - saved
    }

    /// Converts an offset in `unit` to a byte offset; `None` when it is past the end of the text
    /// or falls inside a char (UTF-16: between the two halves of a surrogate pair).
    pub fn to_byte(&self, offset: usize, unit: Unit) -> Option<usize> {
        let saved = match unit {
            Unit::CodePoint => &self.cp_saved,
            Unit::Utf16 => &self.u16_saved,
        };
        let saved_before = |k: usize| if k == 0 { 0 } else { saved[k - 1] };
        // k = how many non-ASCII chars start before `offset`, counted in `unit`
        let (mut lo, mut hi) = (0, self.starts.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.starts[mid] - saved_before(mid) < offset {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let byte = offset + saved_before(lo);
        let inside_previous = lo > 0 && byte < self.starts[lo - 1] + usize::from(self.lens[lo - 1]);
        (byte <= self.text_len && !inside_previous).then_some(byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_astral_and_accented_text() {
        let text = "é 👍🏽 “Lacher” said";
        let idx = OffsetIndex::new(text);
        let b = text.find("Lacher").unwrap();
        let cp = text[..b].chars().count();
        let u16 = text[..b].encode_utf16().count();
        assert_eq!(idx.from_byte(b, Unit::CodePoint), cp);
        assert_eq!(idx.from_byte(b, Unit::Utf16), u16);
        assert_eq!(idx.to_byte(cp, Unit::CodePoint), Some(b));
        assert_eq!(idx.to_byte(u16, Unit::Utf16), Some(b));
        // every boundary round-trips in both units
        for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
            for unit in [Unit::CodePoint, Unit::Utf16] {
                assert_eq!(idx.to_byte(idx.from_byte(i, unit), unit), Some(i), "byte {i} {unit:?}");
            }
        }
        // the middle of a surrogate pair is no char boundary
        let thumb = text.find('👍').unwrap();
        assert_eq!(idx.to_byte(idx.from_byte(thumb, Unit::Utf16) + 1, Unit::Utf16), None);
        assert_eq!(idx.to_byte(text.chars().count() + 1, Unit::CodePoint), None);
    }
}
