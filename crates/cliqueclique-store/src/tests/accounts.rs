//! Web accounts, sessions and invites.

use super::identity;
use crate::{AccountError, Database};

fn db_with_nodes() -> (Database, cliqueclique_doc::NodeId, cliqueclique_doc::NodeId) {
    let db = Database::open_in_memory().unwrap();
    let ann = db.create_node("ann", &identity(1), 0).unwrap().id;
    let bob = db.create_node("bob", &identity(2), 0).unwrap().id;
    (db, ann, bob)
}

#[test]
fn accounts_are_created_found_and_unique() {
    let (db, ann, bob) = db_with_nodes();
    assert_eq!(db.count_accounts().unwrap(), 0);
    let owner = db.create_account("ann", "hash-a", ann, true, 10).unwrap();
    assert!(owner.is_owner);
    let (found, hash) = db.account_by_name("ann").unwrap().unwrap();
    assert_eq!(found, owner);
    assert_eq!(hash, "hash-a");
    assert_eq!(db.account(owner.id).unwrap().unwrap().0, owner);
    assert_eq!(db.account_of_node(&ann).unwrap(), Some(owner.clone()));
    assert!(db.account_by_name("nobody").unwrap().is_none());
    assert!(matches!(
        db.create_account("ann", "h", bob, false, 11),
        Err(AccountError::NameTaken(name)) if name == "ann"
    ));
    assert!(matches!(
        db.create_account("bob", "h", ann, false, 11),
        Err(AccountError::NodeTaken(node)) if node == ann
    ));
    db.create_account("bob", "hash-b", bob, false, 12).unwrap();
    assert_eq!(db.count_accounts().unwrap(), 2);
}

#[test]
fn sessions_expire_and_end_with_a_password_change() {
    let (db, ann, _) = db_with_nodes();
    let account = db.create_account("ann", "old", ann, true, 0).unwrap();
    let token = [7u8; 32];
    db.create_session(&token, account.id, "csrf", 100, 200)
        .unwrap();
    let session = db.session(&token, 150).unwrap().expect("live");
    assert_eq!(session.account, account);
    assert_eq!(session.csrf_token, "csrf");
    assert!(
        db.session(&[8u8; 32], 150).unwrap().is_none(),
        "another token"
    );
    assert!(db.session(&token, 200).unwrap().is_none(), "expired");
    assert!(
        db.session(&token, 150).unwrap().is_none(),
        "deleted once expired"
    );

    db.create_session(&token, account.id, "csrf", 100, 200)
        .unwrap();
    db.delete_session(&token).unwrap();
    assert!(db.session(&token, 150).unwrap().is_none(), "logged out");

    db.create_session(&token, account.id, "csrf", 100, 200)
        .unwrap();
    db.set_password(account.id, "new").unwrap();
    assert!(
        db.session(&token, 150).unwrap().is_none(),
        "password changed"
    );
    assert_eq!(db.account_by_name("ann").unwrap().unwrap().1, "new");
}

#[test]
fn api_tokens_and_invites() {
    let (db, ann, _) = db_with_nodes();
    let account = db.create_account("ann", "h", ann, true, 0).unwrap();
    let token = [3u8; 32];
    assert!(db.account_by_api_token(&token).unwrap().is_none());
    db.set_api_token(account.id, Some(&token)).unwrap();
    assert_eq!(
        db.account_by_api_token(&token).unwrap(),
        Some(account.clone())
    );
    db.set_api_token(account.id, None).unwrap();
    assert!(db.account_by_api_token(&token).unwrap().is_none());

    let code = [5u8; 32];
    assert!(!db.invite_open(&code).unwrap());
    db.create_invite(&code, account.id, 1).unwrap();
    assert!(db.invite_open(&code).unwrap());
    assert!(db.use_invite(&code, account.id).unwrap());
    assert!(!db.invite_open(&code).unwrap());
    assert!(!db.use_invite(&code, account.id).unwrap(), "used once only");
}
