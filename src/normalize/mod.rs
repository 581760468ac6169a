//! Normalize: turns raw field text into the SPEC §3 normalized forms.
//! Pure functions, no I/O; each concern in its own file.
