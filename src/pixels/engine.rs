//! The tesseract engine: one per rayon thread and language set
//! (thread-local, created on first use), chi_sim+eng unless [`with_langs`]
//! asks for other languages, fed raw 8-bit gray buffers, read back as TSV.
//! libtesseract is opened with dlopen on first use rather than linked
//! through leptess: linking pulls in ~55 shared libraries
//! (leptonica, curl, archive, ICU, gnutls…) whose loading and symbol
//! binding cost every process ~15 ms of CPU at start (`perf stat`), which
//! alone made `intake extract --text` slower than pdftotext on small PDFs.
//! The nine C API functions we need are declared here by hand.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::OnceLock;

use libloading::Library;

use super::OcrError;

/// Languages of the default engine.
pub const LANGS: &str = "chi_sim+eng";

/// The language sets the page reader asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Langs {
    /// The thread's current languages ([`LANGS`] unless [`with_langs`]
    /// chose others): every page and cell.
    ChiEng,
    /// chi_sim alone: a second reading of Chinese text that chi_sim+eng
    /// took for Latin letters; seal text.
    Chi,
    /// The first language of the thread's current set alone (chi_sim for
    /// [`LANGS`], chi_tra for chi_tra+eng): pages of Chinese text, which
    /// the set reads more slowly and no better (`ocr::script`).
    Primary,
}

impl Langs {
    /// The tesseract language set meant, on this thread.
    pub fn name(self) -> String {
        match self {
            Langs::Chi => "chi_sim".to_string(),
            Langs::ChiEng => current_langs(),
            Langs::Primary => {
                let set = current_langs();
                set.split('+').next().unwrap_or(&set).to_string()
            }
        }
    }
}

/// The few functions of tesseract's C API we call (capi.h, tesseract 4–5).
struct Api {
    create: unsafe extern "C" fn() -> *mut c_void,
    delete: unsafe extern "C" fn(*mut c_void),
    init3: unsafe extern "C" fn(*mut c_void, *const c_char, *const c_char) -> c_int,
    set_variable: unsafe extern "C" fn(*mut c_void, *const c_char, *const c_char) -> c_int,
    set_image: unsafe extern "C" fn(*mut c_void, *const u8, c_int, c_int, c_int, c_int),
    set_source_resolution: unsafe extern "C" fn(*mut c_void, c_int),
    recognize: unsafe extern "C" fn(*mut c_void, *mut c_void) -> c_int,
    get_tsv_text: unsafe extern "C" fn(*mut c_void, c_int) -> *mut c_char,
    delete_text: unsafe extern "C" fn(*mut c_char),
    /// libgomp's `omp_set_max_active_levels`, when tesseract uses OpenMP.
    omp_max_levels: Option<unsafe extern "C" fn(c_int)>,
    /// Keep the libraries mapped for as long as the pointers above live.
    _gomp: Option<Library>,
    _lib: Library,
}

fn api() -> Result<&'static Api, OcrError> {
    static API: OnceLock<Result<Api, String>> = OnceLock::new();
    API.get_or_init(load)
        .as_ref()
        .map_err(|e| OcrError::Engine(e.clone()))
}

fn load() -> Result<Api, String> {
    // OpenMP is kept off through omp_set_max_active_levels(0) on each
    // engine's thread (new_engine); the CLI also sets OMP_THREAD_LIMIT=1
    // before any thread starts, and for its workers. Never set_var here:
    // other threads are running.
    let names = ["libtesseract.so.5", "libtesseract.so.4", "libtesseract.so"];
    // SAFETY: loading libtesseract runs only its C++ static initialisers.
    let lib = names
        .iter()
        .find_map(|n| unsafe { Library::new(n) }.ok())
        .ok_or_else(|| "libtesseract not found: install tesseract-ocr".to_string())?;
    macro_rules! sym {
        ($name:literal) => {
            // SAFETY: the signature matches tesseract's capi.h declaration;
            // the pointer is used only while `lib` is kept in `Api`.
            *unsafe { lib.get(concat!($name, "\0").as_bytes()) }
                .map_err(|e| format!("libtesseract lacks {}: {e}", $name))?
        };
    }
    // Already loaded as tesseract's dependency when it uses OpenMP; opening
    // it again only returns that handle.
    // SAFETY: no initialisers run for an already-loaded library.
    let gomp = unsafe { Library::new("libgomp.so.1") }.ok();
    let omp_max_levels = gomp.as_ref().and_then(|g| {
        // SAFETY: libgomp's `void omp_set_max_active_levels(int)`.
        unsafe { g.get::<unsafe extern "C" fn(c_int)>(b"omp_set_max_active_levels\0") }
            .ok()
            .map(|f| *f)
    });
    Ok(Api {
        create: sym!("TessBaseAPICreate"),
        delete: sym!("TessBaseAPIDelete"),
        init3: sym!("TessBaseAPIInit3"),
        set_variable: sym!("TessBaseAPISetVariable"),
        set_image: sym!("TessBaseAPISetImage"),
        set_source_resolution: sym!("TessBaseAPISetSourceResolution"),
        recognize: sym!("TessBaseAPIRecognize"),
        get_tsv_text: sym!("TessBaseAPIGetTsvText"),
        delete_text: sym!("TessDeleteText"),
        omp_max_levels,
        _gomp: gomp,
        _lib: lib,
    })
}

/// One TessBaseAPI handle, deleted on drop.
struct Engine {
    api: &'static Api,
    handle: *mut c_void,
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: `handle` came from TessBaseAPICreate and is deleted once.
        unsafe { (self.api.delete)(self.handle) }
    }
}

thread_local! {
    /// This thread's engines, one per language set, created on first use.
    static ENGINES: RefCell<Vec<(String, Engine)>> = const { RefCell::new(Vec::new()) };
    /// Languages chosen by [`with_langs`] for this thread (None: [`LANGS`]).
    static CURRENT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f` with OCR on this thread reading `langs` (e.g. `chi_tra+eng`)
/// instead of [`LANGS`]; `None` keeps the default.
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

/// The languages this thread's OCR reads ([`LANGS`] unless [`with_langs`]
/// chose others).
pub fn current_langs() -> String {
    CURRENT
        .with(|c| c.borrow().clone())
        .unwrap_or_else(|| LANGS.to_string())
}

/// Whether tesseract can load `langs` (its language packs are installed).
pub fn available(langs: &str) -> bool {
    with_engine(langs, |_| Ok(())).is_ok()
}

/// Runs `f` on this thread's engine for `langs`.
fn with_engine<R>(
    langs: &str,
    f: impl FnOnce(&mut Engine) -> Result<R, OcrError>,
) -> Result<R, OcrError> {
    ENGINES.with(|cell| {
        let mut engines = cell.borrow_mut();
        let i = match engines.iter().position(|(l, _)| l == langs) {
            Some(i) => i,
            None => {
                engines.push((langs.to_string(), new_engine(langs)?));
                engines.len() - 1
            }
        };
        f(&mut engines[i].1)
    })
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

fn set_var(e: &mut Engine, name: &str, value: &str) -> Result<(), OcrError> {
    let (n, v) = match (CString::new(name), CString::new(value)) {
        (Ok(n), Ok(v)) => (n, v),
        _ => return Err(OcrError::Engine("bad variable".into())),
    };
    // SAFETY: live handle, NUL-terminated strings that outlive the call.
    match unsafe { (e.api.set_variable)(e.handle, n.as_ptr(), v.as_ptr()) } {
        1 => Ok(()),
        _ => Err(OcrError::Engine(format!(
            "tesseract refused {name}={value}"
        ))),
    }
}

/// Engines created so far in this process (a test checks they are reused).
static CREATED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many tesseract engines this process has started.
pub fn engines_created() -> usize {
    CREATED.load(std::sync::atomic::Ordering::Relaxed)
}

fn new_engine(langs: &str) -> Result<Engine, OcrError> {
    let api = api()?;
    CREATED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // OpenMP's control variables are per thread: keep this engine's
    // parallel regions on the calling (rayon) thread.
    if let Some(set) = api.omp_max_levels {
        // SAFETY: only sets an internal control variable of this thread.
        unsafe { set(0) };
    }
    // SAFETY: plain constructor; a null handle is checked below.
    let handle = unsafe { (api.create)() };
    if handle.is_null() {
        return Err(OcrError::Engine("tesseract could not start".into()));
    }
    let mut e = Engine { api, handle };
    let cl = CString::new(langs).map_err(|_| OcrError::Engine("bad language".into()))?;
    // SAFETY: live handle; a null datapath means tesseract's default.
    let rc = unsafe { (api.init3)(e.handle, std::ptr::null(), cl.as_ptr()) };
    if rc != 0 {
        return Err(OcrError::Engine(format!(
            "tesseract could not load {langs} (code {rc}): install its tesseract-ocr-* language packs"
        )));
    }
    // Keep tesseract quiet on stderr.
    set_var(&mut e, "debug_file", "/dev/null")?;
    Ok(e)
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
    recognize_in(Langs::ChiEng, gray, width, height, dpi, psm)
}

/// [`recognize`] with an engine of the given language set.
pub fn recognize_in(
    langs: Langs,
    gray: &[u8],
    width: u32,
    height: u32,
    dpi: u32,
    psm: Psm,
) -> Result<(Vec<RawWord>, f32), OcrError> {
    if width < 3 || height < 3 || gray.len() < (width as usize) * (height as usize) {
        return Err(OcrError::Image("image too small".into()));
    }
    let name = langs.name();
    with_engine(&name, |e| {
        set_var(e, "tessedit_pageseg_mode", &(psm as i32).to_string())?;
        let (w, h) = (
            i32::try_from(width).map_err(|_| OcrError::Image("image too wide".into()))?,
            i32::try_from(height).map_err(|_| OcrError::Image("image too tall".into()))?,
        );
        // SAFETY: `gray` holds at least width*height bytes (checked above)
        // and outlives recognition, which finishes before this returns.
        let tsv = unsafe {
            (e.api.set_image)(e.handle, gray.as_ptr(), w, h, 1, w);
            (e.api.set_source_resolution)(e.handle, dpi as i32);
            if (e.api.recognize)(e.handle, std::ptr::null_mut()) != 0 {
                return Err(OcrError::Engine("recognition failed".into()));
            }
            let p = (e.api.get_tsv_text)(e.handle, 0);
            if p.is_null() {
                return Err(OcrError::Engine("no TSV output".into()));
            }
            let text = CStr::from_ptr(p).to_string_lossy().into_owned();
            (e.api.delete_text)(p);
            text
        };
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
    let mean = mean_conf(&words);
    (words, mean)
}

/// Mean confidence of words, weighted by characters so one long confident
/// word outweighs noise; 0 without words.
pub fn mean_conf<'a>(words: impl IntoIterator<Item = &'a RawWord>) -> f32 {
    let (s, c) = words.into_iter().fold((0.0f32, 0usize), |(s, c), w| {
        let k = w.text.chars().count();
        (s + w.conf * k as f32, c + k)
    });
    s / c.max(1) as f32
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
