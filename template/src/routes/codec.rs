//! The index's binary form, as the macros embed it.
//!
//! ```text
//! "GERI" 1                      magic, format version
//! varint n, n bytes             sources (UTF-8 lines)
//! varint n, then n strings      segment spellings, sorted, front-coded:
//!                               varint shared prefix length, varint suffix length, suffix
//! varint n, then n u16 (LE)     the distinct method sets
//! varint n, then n nodes        breadth first, root first: varint label, varint method set,
//!                               varint child count (children follow their parent's siblings)
//! ```
//!
//! Every number is an unsigned LEB128 varint. A node's children are the next `child count`
//! nodes not yet claimed, so no offsets are stored.

use super::{Methods, Node, RouteIndex};
use crate::shape::normalise_segment;

const MAGIC: &[u8] = b"GERI\x01";

impl RouteIndex {
    /// The binary form (the layout its module documents), read back by [`decode`](Self::decode).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put(&mut out, self.sources.len());
        out.extend_from_slice(self.sources.as_bytes());
        put(&mut out, self.spellings.len());
        let mut previous: &str = "";
        for spelling in &self.spellings {
            let shared = previous.bytes().zip(spelling.bytes()).take_while(|(a, b)| a == b).count();
            put(&mut out, shared);
            put(&mut out, spelling.len() - shared);
            out.extend_from_slice(&spelling.as_bytes()[shared..]);
            previous = spelling;
        }
        let mut sets: Vec<u16> = self.nodes.iter().map(|n| n.methods.0).collect();
        sets.sort_unstable();
        sets.dedup();
        put(&mut out, sets.len());
        for set in &sets {
            out.extend_from_slice(&set.to_le_bytes());
        }
        put(&mut out, self.nodes.len());
        for node in &self.nodes {
            put(&mut out, node.label as usize);
            put(&mut out, sets.binary_search(&node.methods.0).unwrap_or_default());
            put(&mut out, node.child_count as usize);
        }
        out
    }

    /// Reads what [`encode`](Self::encode) wrote.
    pub fn decode(bytes: &[u8]) -> Result<RouteIndex, String> {
        let mut input = Reader { bytes, at: 0 };
        if input.take(MAGIC.len())? != MAGIC {
            return Err("not a route index (or another format version)".into());
        }
        let n = input.number()?;
        let sources = std::str::from_utf8(input.take(n)?).map_err(|e| e.to_string())?.to_owned();
        let count = input.number()?;
        let mut spellings: Vec<Box<str>> = Vec::with_capacity(count);
        let mut previous = String::new();
        for _ in 0..count {
            let shared = input.number()?;
            let suffix = input.number()?;
            let mut spelling = previous.get(..shared).ok_or("bad shared prefix")?.to_owned();
            spelling.push_str(std::str::from_utf8(input.take(suffix)?).map_err(|e| e.to_string())?);
            spellings.push(spelling.as_str().into());
            previous = spelling;
        }
        let count = input.number()?;
        let mut sets = Vec::with_capacity(count);
        for _ in 0..count {
            let pair = input.take(2)?;
            sets.push(u16::from_le_bytes([pair[0], pair[1]]));
        }
        let count = input.number()?;
        let mut nodes = Vec::with_capacity(count);
        let mut claimed = 1usize;
        for _ in 0..count {
            let label = input.number()?;
            let set = *sets.get(input.number()?).ok_or("bad method set")?;
            let children = input.number()?;
            if label >= spellings.len().max(1) || claimed.checked_add(children).is_none_or(|end| end > count) {
                return Err("bad node".into());
            }
            nodes.push(Node { label: label as u32, methods: Methods(set), first_child: claimed as u32, child_count: children as u32 });
            claimed += children;
        }
        if nodes.is_empty() || input.at != bytes.len() {
            return Err("truncated or trailing bytes".into());
        }
        let keys = spellings.iter().map(|s| normalise_segment(s).into_boxed_str()).collect();
        Ok(RouteIndex { spellings, keys, nodes, sources })
    }
}

fn put(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|end| *end <= self.bytes.len()).ok_or("truncated")?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn number(&mut self) -> Result<usize, String> {
        let mut n = 0usize;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            n |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err("varint too long".into())
    }
}
