//! Writing an Anki package.
