//! A minimal zip writer that stores entry names as the given raw bytes.
//!
//! Written by hand because the `zip` crate always writes UTF-8 names with the
//! language-encoding flag set, while the archives offices really receive are
//! written by WinRAR / 360压缩 / old 7-Zip with GBK names and no flag. The
//! samples and the ingest tests need exactly those archives.

use std::io::Write;

use flate2::Crc;
use flate2::write::DeflateEncoder;

/// How an entry's name is written.
#[derive(Debug, Clone)]
pub enum Name {
    /// UTF-8 bytes with the EFS flag (bit 11) set, as modern tools write.
    Utf8(String),
    /// GBK bytes, no flag, as WinRAR and 360压缩 write on Chinese Windows.
    Gbk(String),
    /// GBK bytes, no flag, plus an Info-ZIP Unicode Path extra field (0x7075)
    /// carrying the UTF-8 name.
    GbkWithUnicodeExtra(String),
    /// Exactly these bytes, no flag (for traversal and garbage names).
    Raw(Vec<u8>),
}

impl Name {
    fn bytes_and_flags(&self) -> (Vec<u8>, u16, Vec<u8>) {
        match self {
            Name::Utf8(s) => (s.as_bytes().to_vec(), 1 << 11, Vec::new()),
            Name::Gbk(s) => (gbk(s), 0, Vec::new()),
            Name::GbkWithUnicodeExtra(s) => {
                let raw = gbk(s);
                let mut crc = Crc::new();
                crc.update(&raw);
                let mut data = vec![1u8];
                data.extend_from_slice(&crc.sum().to_le_bytes());
                data.extend_from_slice(s.as_bytes());
                let mut extra = Vec::new();
                extra.extend_from_slice(&0x7075u16.to_le_bytes());
                extra.extend_from_slice(&(data.len() as u16).to_le_bytes());
                extra.extend_from_slice(&data);
                (raw, 0, extra)
            }
            Name::Raw(b) => (b.clone(), 0, Vec::new()),
        }
    }
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

struct Central {
    name: Vec<u8>,
    flags: u16,
    extra: Vec<u8>,
    method: u16,
    crc: u32,
    csize: u32,
    usize_: u32,
    offset: u32,
    is_dir: bool,
}

/// Builds a zip archive in memory.
#[derive(Default)]
pub struct RawZip {
    out: Vec<u8>,
    central: Vec<Central>,
}

impl RawZip {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file; `deflate` compresses it.
    pub fn file(&mut self, name: Name, data: &[u8], deflate: bool) -> &mut Self {
        self.entry(name, data, deflate, false, false)
    }

    /// Adds a directory entry (name should end in `/`).
    pub fn dir(&mut self, name: Name) -> &mut Self {
        self.entry(name, &[], false, true, false)
    }

    /// Adds an entry whose header claims traditional PKWARE encryption; the
    /// payload is left as is, so readers must refuse it rather than decrypt.
    pub fn encrypted_file(&mut self, name: Name, data: &[u8]) -> &mut Self {
        self.entry(name, data, false, false, true)
    }

    fn entry(
        &mut self,
        name: Name,
        data: &[u8],
        deflate: bool,
        is_dir: bool,
        encrypted: bool,
    ) -> &mut Self {
        let (name, mut flags, extra) = name.bytes_and_flags();
        if encrypted {
            flags |= 1;
        }
        let mut crc = Crc::new();
        crc.update(data);
        let (method, payload) = if deflate {
            let mut enc = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            // Writing into a Vec cannot fail.
            let _ = enc.write_all(data);
            (8u16, enc.finish().unwrap_or_default())
        } else {
            (0u16, data.to_vec())
        };
        let offset = self.out.len() as u32;
        let o = &mut self.out;
        o.extend_from_slice(&0x04034b50u32.to_le_bytes());
        o.extend_from_slice(&20u16.to_le_bytes());
        o.extend_from_slice(&flags.to_le_bytes());
        o.extend_from_slice(&method.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes()); // time
        o.extend_from_slice(&0x5a21u16.to_le_bytes()); // date 2025-01-01
        o.extend_from_slice(&crc.sum().to_le_bytes());
        o.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        o.extend_from_slice(&(data.len() as u32).to_le_bytes());
        o.extend_from_slice(&(name.len() as u16).to_le_bytes());
        o.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        o.extend_from_slice(&name);
        o.extend_from_slice(&extra);
        o.extend_from_slice(&payload);
        self.central.push(Central {
            name,
            flags,
            extra,
            method,
            crc: crc.sum(),
            csize: payload.len() as u32,
            usize_: data.len() as u32,
            offset,
            is_dir,
        });
        self
    }

    /// Writes the central directory and returns the archive bytes.
    pub fn finish(mut self) -> Vec<u8> {
        let cd_start = self.out.len() as u32;
        for c in &self.central {
            let o = &mut self.out;
            o.extend_from_slice(&0x02014b50u32.to_le_bytes());
            o.extend_from_slice(&0x0314u16.to_le_bytes()); // made by: unix, 2.0
            o.extend_from_slice(&20u16.to_le_bytes());
            o.extend_from_slice(&c.flags.to_le_bytes());
            o.extend_from_slice(&c.method.to_le_bytes());
            o.extend_from_slice(&0u16.to_le_bytes());
            o.extend_from_slice(&0x5a21u16.to_le_bytes());
            o.extend_from_slice(&c.crc.to_le_bytes());
            o.extend_from_slice(&c.csize.to_le_bytes());
            o.extend_from_slice(&c.usize_.to_le_bytes());
            o.extend_from_slice(&(c.name.len() as u16).to_le_bytes());
            o.extend_from_slice(&(c.extra.len() as u16).to_le_bytes());
            o.extend_from_slice(&0u16.to_le_bytes()); // comment
            o.extend_from_slice(&0u16.to_le_bytes()); // disk
            o.extend_from_slice(&0u16.to_le_bytes()); // internal attrs
            let ext: u32 = if c.is_dir { 0o40755 << 16 | 0x10 } else { 0o100644 << 16 };
            o.extend_from_slice(&ext.to_le_bytes());
            o.extend_from_slice(&c.offset.to_le_bytes());
            o.extend_from_slice(&c.name);
            o.extend_from_slice(&c.extra);
        }
        let cd_len = self.out.len() as u32 - cd_start;
        let n = self.central.len() as u16;
        let o = &mut self.out;
        o.extend_from_slice(&0x06054b50u32.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes());
        o.extend_from_slice(&n.to_le_bytes());
        o.extend_from_slice(&n.to_le_bytes());
        o.extend_from_slice(&cd_len.to_le_bytes());
        o.extend_from_slice(&cd_start.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes());
        self.out
    }
}
