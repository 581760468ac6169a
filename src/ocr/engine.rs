//! The tesseract engine: one per rayon thread (thread-local, created on
//! first use), chi_sim+eng unless [`with_langs`] asks for other languages,
//! fed raw 8-bit gray buffers, read back as TSV.

use std::cell::RefCell;
use std::ffi::CString;

use leptess::tesseract::TessApi;

use super::OcrError;

/// Languages of the default engine.
pub const LANGS: &str = "chi_sim+eng";

thread_local! {
    static ENGINE: RefCell<Option<TessApi>> = const { RefCell::new(None) };
    /// Engines for other language sets, chosen with [`with_langs`].
    static OTHER: RefCell<Vec<(String, TessApi)>> = const { RefCell::new(Vec::new()) };
    static CURRENT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f` with OCR on this thread reading `langs` (e.g. `chi_tra+eng`)
/// instead of [`LANGS`]; `None` keeps the default. Engines are kept per
/// thread and language set.
pub fn with_langs<R>(langs: Option<&str>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<String>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| *c.borrow_mut() = self.0.take());
        }
    }
    let previous = CURRENT.with(|c| c.replace(langs.map(String::from)));
    let _restore = Restore(previous);
    f()
}

/// Whether tesseract can load `langs` (its language packs are installed).
pub fn available(langs: &str) -> bool {
    with_engine(Some(langs), |_| Ok(())).is_ok()
}

/// Runs `f` on this thread's engine for `langs` (None = [`LANGS`]).
fn with_engine<R>(
    langs: Option<&str>,
    f: impl FnOnce(&mut TessApi) -> Result<R, OcrError>,
) -> Result<R, OcrError> {
    match langs.filter(|l| *l != LANGS) {
        None => ENGINE.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.is_none() {
                *slot = Some(new_engine(LANGS)?);
            }
            match slot.as_mut() {
                Some(api) => f(api),
                None => Err(OcrError::Engine("no engine".into())),
            }
        }),
        Some(l) => OTHER.with(|cell| {
            let mut engines = cell.borrow_mut();
            let i = match engines.iter().position(|e| e.0 == l) {
                Some(i) => i,
                None => {
                    engines.push((l.to_string(), new_engine(l)?));
                    engines.len() - 1
                }
            };
            f(&mut engines[i].1)
        }),
    }
}

/// Tesseract's page segmentation modes we use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Psm {
    /// Fully automatic page layout.
    Auto = 3,
    /// One uniform block of text (table cells, seal centres).
    Block = 6,
    /// One text line (unwrapped seal rings).
    Line = 7,
}

/// One recognised word, in pixels of the image given to [`recognize`].
#[derive(Debug, Clone, PartialEq)]
pub struct RawWord {
    pub text: String,
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
    /// 0–100.
    pub conf: f32,
    /// (block, paragraph, line) numbers from tesseract: words sharing them
    /// are on one line.
    pub line: (u32, u32, u32),
}

fn set_var(api: &mut TessApi, name: &str, value: &str) -> Result<(), OcrError> {
    let (n, v) = match (CString::new(name), CString::new(value)) {
        (Ok(n), Ok(v)) => (n, v),
        _ => return Err(OcrError::Engine("bad variable".into())),
    };
    api.raw
        .set_variable(&n, &v)
        .map_err(|_| OcrError::Engine(format!("tesseract refused {name}={value}")))
}

fn new_engine(langs: &str) -> Result<TessApi, OcrError> {
    // Tesseract's own OpenMP threads fight rayon's; one thread each is
    // about twice as fast overall. Must be set before the first engine.
    if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
        // SAFETY: set once, before tesseract (the only reader) starts; other
        // threads racing here write the same value.
        unsafe { std::env::set_var("OMP_THREAD_LIMIT", "1") };
    }
    let mut api = TessApi::new(None, langs).map_err(|e| {
        OcrError::Engine(format!(
            "tesseract could not load {langs} (code {}): install its tesseract-ocr-* language packs",
            e.code
        ))
    })?;
    // Keep tesseract quiet on stderr and stop it guessing dictionary words.
    set_var(&mut api, "debug_file", "/dev/null")?;
    Ok(api)
}

/// Recognises an 8-bit gray image (`width*height` bytes, row-major) at
/// `dpi` with the given segmentation mode. Returns the words and the mean
/// word confidence (0–100).
pub fn recognize(
    gray: &[u8],
    width: u32,
    height: u32,
    dpi: u32,
    psm: Psm,
) -> Result<(Vec<RawWord>, f32), OcrError> {
    if width < 3 || height < 3 || gray.len() < (width as usize) * (height as usize) {
        return Err(OcrError::Image("image too small".into()));
    }
    let langs = CURRENT.with(|c| c.borrow().clone());
    with_engine(langs.as_deref(), |api| {
        set_var(api, "tessedit_pageseg_mode", &(psm as i32).to_string())?;
        api.raw
            .set_image(gray, width as i32, height as i32, 1, width as i32)
            .map_err(|e| OcrError::Image(format!("{e:?}")))?;
        api.raw.set_source_resolution(dpi as i32);
        api.raw
            .recognize()
            .map_err(|_| OcrError::Engine("recognition failed".into()))?;
        let tsv = api
            .get_tsv_text(0)
            .map_err(|e| OcrError::Engine(format!("TSV output: {e}")))?;
        Ok(parse_tsv(&tsv))
    })
}

/// Parses tesseract's TSV (level, page, block, par, line, word, left, top,
/// width, height, conf, text): keeps level-5 (word) rows with text.
pub fn parse_tsv(tsv: &str) -> (Vec<RawWord>, f32) {
    let mut words = Vec::new();
    for row in tsv.lines() {
        let f: Vec<&str> = row.splitn(12, '\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let text = f[11].trim();
        if text.is_empty() {
            continue;
        }
        let n = |i: usize| f[i].trim().parse::<i64>().unwrap_or(0).max(0) as u32;
        let conf = f[10].trim().parse::<f32>().unwrap_or(0.0).max(0.0);
        words.push(RawWord {
            text: text.to_string(),
            left: n(6),
            top: n(7),
            width: n(8),
            height: n(9),
            conf,
            line: (n(2), n(3), n(4)),
        });
    }
    let mean = if words.is_empty() {
        0.0
    } else {
        // Weighted by characters so one long confident word outweighs noise.
        let (s, c) = words.iter().fold((0.0f32, 0usize), |(s, c), w| {
            let k = w.text.chars().count();
            (s + w.conf * k as f32, c + k)
        });
        s / c.max(1) as f32
    };
    (words, mean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_rows() {
        let tsv = "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t91.5\t项目\n5\t1\t1\t1\t1\t2\t50\t20\t30\t40\t-1\t \n";
        let (w, mean) = parse_tsv(tsv);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].text, "项目");
        assert_eq!(w[0].left, 10);
        assert!((mean - 91.5).abs() < 0.01);
    }
}
