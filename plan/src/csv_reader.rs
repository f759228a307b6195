//! Reading CSV text: encoding detection (UTF-8 with or without BOM, Shift_JIS) and RFC 4180 records.

use std::borrow::Cow;

/// The encoding a file was read in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// Shift_JIS (Windows-31J; Excel's plain "CSV" on Japanese Windows).
    ShiftJis,
}

/// Why the bytes are not text we can read.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum DecodeError {
    /// A UTF-16 byte-order mark (Excel's "Unicode text").
    #[error("the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" instead")]
    Utf16,
    /// Neither valid UTF-8 nor valid Shift_JIS.
    #[error("the file is neither UTF-8 nor Shift_JIS; save it as \"CSV UTF-8\"")]
    Unknown,
    /// Not UTF-8, and this build reads no other encoding (feature `shift-jis` off).
    #[error("the file is not UTF-8; save it as \"CSV UTF-8\"")]
    NotUtf8,
}

/// Decodes a CSV file's bytes, detecting the encoding.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), DecodeError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DecodeError::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(|s| (Cow::Borrowed(s), TextEncoding::Utf8Bom))
            .map_err(|_| DecodeError::Unknown);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(s), TextEncoding::Utf8));
    }
    decode_shift_jis(bytes)
}

#[cfg(feature = "shift-jis")]
fn decode_shift_jis(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), DecodeError> {
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| (Cow::Owned(s.into_owned()), TextEncoding::ShiftJis))
        .ok_or(DecodeError::Unknown)
}

#[cfg(not(feature = "shift-jis"))]
fn decode_shift_jis(_: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), DecodeError> {
    Err(DecodeError::NotUtf8)
}

/// A quoting mistake in one field.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
pub enum QuoteError {
    /// The file ends inside a quoted value.
    #[error("a quoted value is never closed (a \" is missing)")]
    Unterminated,
    /// Text follows a closing quote before the next comma.
    #[error("text follows the closing quote; write a quote inside a quoted value as \"\"")]
    TextAfterQuote,
}

/// One record: its fields, and the first quoting mistake in it if any.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Record {
    /// The field values, unquoted.
    pub fields: Vec<String>,
    /// `(field index, mistake)` of the first quoting error.
    pub error: Option<(usize, QuoteError)>,
}

impl Record {
    /// Whether every field is empty or blank (an empty line, or a line of commas).
    #[must_use]
    pub fn is_blank(&self) -> bool {
        self.error.is_none() && self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// Splits CSV text into records (RFC 4180; `\r\n`, `\n` or a lone `\r` end a record).
/// Never fails: quoting mistakes are attached to the record they occur in.
#[must_use]
pub fn records(text: &str) -> Vec<Record> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut rec = Record::default();
    let mut i = 0;
    let n = b.len();
    if n == 0 {
        return out;
    }
    loop {
        // At the start of a field.
        let mut field = String::new();
        if i < n && b[i] == b'"' {
            i += 1;
            let mut closed = false;
            let mut start = i;
            while i < n {
                if b[i] == b'"' {
                    field.push_str(&text[start..i]);
                    if i + 1 < n && b[i + 1] == b'"' {
                        field.push('"');
                        i += 2;
                        start = i;
                        continue;
                    }
                    i += 1;
                    closed = true;
                    break;
                }
                i += 1;
            }
            if !closed {
                field.push_str(&text[start..n]);
                rec.error
                    .get_or_insert((rec.fields.len(), QuoteError::Unterminated));
            } else if i < n && !matches!(b[i], b',' | b'\r' | b'\n') {
                rec.error
                    .get_or_insert((rec.fields.len(), QuoteError::TextAfterQuote));
                let start = i;
                while i < n && !matches!(b[i], b',' | b'\r' | b'\n') {
                    i += 1;
                }
                field.push_str(&text[start..i]);
            }
        } else {
            let start = i;
            while i < n && !matches!(b[i], b',' | b'\r' | b'\n') {
                i += 1;
            }
            field.push_str(&text[start..i]);
        }
        rec.fields.push(field);
        // After a field: a comma, a line end, or the end of the text.
        if i >= n {
            out.push(rec);
            return out;
        }
        match b[i] {
            b',' => i += 1,
            _ => {
                if b[i] == b'\r' && i + 1 < n && b[i + 1] == b'\n' {
                    i += 1;
                }
                i += 1;
                out.push(std::mem::take(&mut rec));
                if i >= n {
                    return out;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        records(text).into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn plain_and_quoted_fields() {
        assert_eq!(
            fields("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n"),
            [vec!["a", "b"], vec!["x, y", "say \"hi\""]]
        );
    }

    #[test]
    fn quoted_line_breaks_stay_in_the_value() {
        assert_eq!(fields("\"two\r\nlines\",z"), [vec!["two\r\nlines", "z"]]);
    }

    #[test]
    fn empty_fields_and_trailing_comma() {
        assert_eq!(fields("a,,\n"), [vec!["a", "", ""]]);
        assert_eq!(fields(",\n\n"), [vec!["", ""], vec![""]]);
        assert!(records("").is_empty());
        assert!(records("\n").iter().all(Record::is_blank));
    }

    #[test]
    fn lone_cr_ends_a_record() {
        assert_eq!(fields("a\rb\r"), [vec!["a"], vec!["b"]]);
    }

    #[test]
    fn quoting_mistakes_are_reported_on_their_field() {
        let r = records("a,\"open\nb,c");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].error, Some((1, QuoteError::Unterminated)));
        let r = records("a,\"x\"y,z\n");
        assert_eq!(r[0].error, Some((1, QuoteError::TextAfterQuote)));
        assert_eq!(r[0].fields, ["a", "xy", "z"]);
    }

    #[test]
    fn a_quote_inside_an_unquoted_value_is_kept() {
        assert_eq!(fields("27\" screen,b"), [vec!["27\" screen", "b"]]);
    }

    #[cfg(feature = "shift-jis")]
    #[test]
    fn detects_encodings() {
        assert_eq!(decode(b"a,b").unwrap().1, TextEncoding::Utf8);
        let (text, enc) = decode(b"\xEF\xBB\xBFa,b").unwrap();
        assert_eq!((text.as_ref(), enc), ("a,b", TextEncoding::Utf8Bom));
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("顧客名,ドメイン");
        let (text, enc) = decode(&sjis).unwrap();
        assert_eq!(
            (text.as_ref(), enc),
            ("顧客名,ドメイン", TextEncoding::ShiftJis)
        );
        assert_eq!(decode(b"\xFF\xFEa\0"), Err(DecodeError::Utf16));
        assert_eq!(decode(b"\x80\x80\xFF"), Err(DecodeError::Unknown));
    }
}
