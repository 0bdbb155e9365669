//! The request members a rule can refuse, typed. On the wire a refusal names its field as a
//! string (`FieldError::field`); each request has an enum of its fields that formats and parses
//! exactly those strings, so the app keys errors by a type rather than by text.

use std::fmt;
use std::str::FromStr;

/// A field of one request: formats as its wire name and parses back from it.
pub trait Field: Copy + Eq + fmt::Debug + fmt::Display + FromStr + Send + Sync + 'static {}

/// A wire name that names no field of the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownField;

/// Declares a request's fields: the enum, `ALL`, and the wire names both ways.
macro_rules! fields {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::field::UnknownField;

            fn from_str(name: &str) -> Result<Self, Self::Err> {
                match name {
                    $($wire => Ok($name::$variant),)+
                    _ => Err($crate::field::UnknownField),
                }
            }
        }

        impl $crate::field::Field for $name {}
    };
}

pub(crate) use fields;
