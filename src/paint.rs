//! Colour, when and only when it is wanted: `--color`, then `NO_COLOR`, then
//! whether the stream is a terminal.

use std::io::IsTerminal;

/// `--color auto|always|never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Styles text with ANSI colours, or leaves it plain.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    enabled: bool,
}

impl Paint {
    pub fn plain() -> Self {
        Paint { enabled: false }
    }

    pub fn colored() -> Self {
        Paint { enabled: true }
    }

    /// Decides for one stream. `NO_COLOR` (any non-empty value) turns colour
    /// off unless `--color always` asks for it explicitly.
    pub fn decide(choice: ColorChoice, stream_is_terminal: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let enabled = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stream_is_terminal && !no_color,
        };
        Paint { enabled }
    }

    pub fn for_stdout(choice: ColorChoice) -> Self {
        Self::decide(choice, std::io::stdout().is_terminal())
    }

    pub fn for_stderr(choice: ColorChoice) -> Self {
        Self::decide(choice, std::io::stderr().is_terminal())
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    fn wrap(&self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    pub fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
    pub fn red(&self, text: &str) -> String {
        self.wrap("31", text)
    }
    pub fn green(&self, text: &str) -> String {
        self.wrap("32", text)
    }
    pub fn yellow(&self, text: &str) -> String {
        self.wrap("33", text)
    }
    pub fn blue(&self, text: &str) -> String {
        self.wrap("34", text)
    }
    pub fn cyan(&self, text: &str) -> String {
        self.wrap("36", text)
    }
    pub fn red_bold(&self, text: &str) -> String {
        self.wrap("1;31", text)
    }
    pub fn green_bold(&self, text: &str) -> String {
        self.wrap("1;32", text)
    }
    pub fn yellow_bold(&self, text: &str) -> String {
        self.wrap("1;33", text)
    }
    /// Styles text that went through the terminal gate; the result is as
    /// safe as its input.
    pub fn safe(&self, style: Style, text: &crate::text::Safe) -> crate::text::Safe {
        if self.enabled {
            crate::text::Safe::styled(style.code(), text)
        } else {
            text.clone()
        }
    }

    /// An explicit SGR code, for charts with graded colours.
    pub fn code(&self, code: &str, text: &str) -> String {
        self.wrap(code, text)
    }
}

/// The styles the study screen uses on [`Safe`](crate::text::Safe) text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Bold,
    Dim,
    Red,
    Green,
    Cyan,
    RedBold,
    GreenBold,
    YellowBold,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::Dim => "2",
            Style::Red => "31",
            Style::Green => "32",
            Style::Cyan => "36",
            Style::RedBold => "1;31",
            Style::GreenBold => "1;32",
            Style::YellowBold => "1;33",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_and_plain_emit_no_escape_codes() {
        let p = Paint::decide(ColorChoice::Never, true);
        assert_eq!(p.red("x"), "x");
        assert!(
            Paint::decide(ColorChoice::Always, false)
                .red("x")
                .contains('\x1b')
        );
        assert!(!Paint::decide(ColorChoice::Auto, false).is_enabled());
    }
}
