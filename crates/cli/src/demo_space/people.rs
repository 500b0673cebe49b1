//! The forty people of the demo space. Who is who is fixed by position in [`ROSTER`], so the space
//! is the same on every run and tests can name people.

use anyhow::Result;
use doorlink_core::Person;
use doorlink_store::Store;

/// How many people the demo space has.
pub const PEOPLE: usize = 40;

/// First and last names; e-mails are `first.last@example.com`, except the demo member's, which is a
/// sign-in printed by `doorlink demo`.
const ROSTER: [(&str, &str); PEOPLE] = [
    ("Mia", "Keller"),
    ("Noah", "Becker"),
    ("Lena", "Wolf"),
    ("Elias", "Hartmann"),
    ("Sofia", "Lange"),
    ("Jonas", "Krause"),
    ("Emma", "Vogel"),
    ("Paul", "Brandt"),
    ("Hannah", "Roth"),
    ("Leon", "Sommer"),
    ("Clara", "Fuchs"),
    ("Felix", "Berger"),
    ("Ida", "Winter"),
    ("Theo", "Schubert"),
    ("Marie", "Frank"),
    ("Luca", "Graf"),
    ("Ella", "Simon"),
    ("Anton", "Peters"),
    ("Lina", "Haas"),
    ("Moritz", "Kuhn"),
    ("Greta", "Jung"),
    ("Oskar", "Busch"),
    ("Frieda", "Engel"),
    ("Karl", "Horn"),
    ("Nora", "Pohl"),
    ("Jakob", "Ludwig"),
    ("Alma", "Franke"),
    ("Emil", "Dietrich"),
    ("Mila", "Seidel"),
    ("Henry", "Arnold"),
    ("Ava", "Ng"),
    ("Samuel", "Okafor"),
    ("Yara", "Haddad"),
    ("Kenji", "Sato"),
    ("Lucia", "Romero"),
    ("Omar", "Farouk"),
    ("Tilda", "Marsh"),
    ("Ruben", "Costa"),
    ("Ines", "Duarte"),
    ("Viktor", "Novak"),
];

/// The demo member's e-mail: person 0, with a subscription, a booking today with invitees and a
/// manual grant to the reader-restricted Server Room.
pub const MEMBER_EMAIL: &str = "mia@harbor.example";

/// The e-mail of the person at `index` of the roster.
pub(crate) fn email_of(index: usize) -> String {
    match index {
        0 => MEMBER_EMAIL.to_owned(),
        _ => {
            let (first, last) = ROSTER[index % PEOPLE];
            format!(
                "{}.{}@example.com",
                first.to_lowercase(),
                last.to_lowercase()
            )
        }
    }
}

/// Creates the roster, in order.
pub(crate) async fn create(store: &Store) -> Result<Vec<Person>> {
    let mut people = Vec::with_capacity(PEOPLE);
    for (index, (first, last)) in ROSTER.iter().enumerate() {
        let person = store
            .people()
            .create(&format!("{first} {last}"), &email_of(index))
            .await?;
        people.push(person);
    }
    Ok(people)
}
