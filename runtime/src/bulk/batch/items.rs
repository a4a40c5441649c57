//! What [`Client::batch`] takes: a `Vec<E>`, a `&[E]`, a `&Vec<E>`, or a tuple of up to 20
//! endpoints, each with its typed results.

use super::item::Prepared;
use super::outcome::Outcome;
use crate::client::Client;
use crate::error::Error;
use crate::request::endpoint::Endpoint;
use sealed::Items;

/// What [`Client::batch`] takes: a `Vec<E>`, a `&[E]`, a `&Vec<E>`, or a tuple of up to 20
/// endpoints (or references to them).
///
/// Sealed: implemented here for those types only.
pub trait BatchItems: sealed::Items {
    /// The results: a `Vec<Result<E::Response, Error>>` for a list, a tuple of
    /// `Result<_, Error>` for a tuple.
    type Output;
}

/// What the batch does with its items, out of users' sight and reach.
pub(super) mod sealed {
    use super::super::item::Prepared;
    use super::super::outcome::Outcome;
    use super::BatchItems;
    use crate::client::Client;
    use crate::error::Error;

    pub trait Items {
        /// Prepares every item's request, in order.
        fn prepare(&self, client: &Client) -> Vec<Result<Prepared, Error>>;

        /// Decodes every item's outcome, in order.
        fn finish(outcomes: Vec<Outcome>) -> <Self as BatchItems>::Output
        where
            Self: BatchItems;
    }
}

impl<E: Endpoint> BatchItems for Vec<E> {
    type Output = Vec<Result<E::Response, Error>>;
}

impl<E: Endpoint> Items for Vec<E> {
    fn prepare(&self, client: &Client) -> Vec<Result<Prepared, Error>> {
        self.as_slice().prepare(client)
    }

    fn finish(outcomes: Vec<Outcome>) -> <Self as BatchItems>::Output {
        <&[E]>::finish(outcomes)
    }
}

impl<E: Endpoint> BatchItems for &Vec<E> {
    type Output = Vec<Result<E::Response, Error>>;
}

impl<E: Endpoint> Items for &Vec<E> {
    fn prepare(&self, client: &Client) -> Vec<Result<Prepared, Error>> {
        self.as_slice().prepare(client)
    }

    fn finish(outcomes: Vec<Outcome>) -> <Self as BatchItems>::Output {
        <&[E]>::finish(outcomes)
    }
}

impl<E: Endpoint> BatchItems for &[E] {
    type Output = Vec<Result<E::Response, Error>>;
}

impl<E: Endpoint> Items for &[E] {
    fn prepare(&self, client: &Client) -> Vec<Result<Prepared, Error>> {
        self.iter().map(|endpoint| Prepared::of(client, endpoint)).collect()
    }

    fn finish(outcomes: Vec<Outcome>) -> <Self as BatchItems>::Output {
        outcomes.into_iter().map(Outcome::decode::<E>).collect()
    }
}

macro_rules! tuples {
    ($( ($($name:ident $index:tt),+) )*) => {$(
        impl<$($name: Endpoint),+> BatchItems for ($($name,)+) {
            type Output = ($(Result<$name::Response, Error>,)+);
        }

        impl<$($name: Endpoint),+> Items for ($($name,)+) {
            fn prepare(&self, client: &Client) -> Vec<Result<Prepared, Error>> {
                vec![$(Prepared::of(client, &self.$index)),+]
            }

            fn finish(outcomes: Vec<Outcome>) -> <Self as BatchItems>::Output {
                let mut outcomes = outcomes.into_iter();
                ($(outcomes.next().map_or_else(Outcome::lost::<$name::Response>, Outcome::decode::<$name>),)+)
            }
        }
    )*};
}

tuples! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15, Q 16)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15, Q 16, R 17)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15, Q 16, R 17, S 18)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15, Q 16, R 17, S 18, T 19)
}
