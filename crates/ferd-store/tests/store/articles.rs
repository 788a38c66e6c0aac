//! The practice's articles: only a practice admin writes them, within their practice; every change is audited;
//! the language, the address and the first-published date (which a feed id is built on) never change; and a bad
//! input changes nothing.

use ferd_store::{ArticleInput, ArticleReference, ArticleStatus, StoreError};

use crate::common::*;

fn input(slug: &str, published: &str) -> ArticleInput {
    ArticleInput {
        lang: "nb".into(),
        slug: slug.into(),
        title: "Integrering etter en studie".into(),
        summary: "Hva ukene etter en medisinøkt kan romme.".into(),
        body: "Tekst ([k](#ref-k)).".into(),
        tags: vec!["integrering".into(), "MDMA".into()],
        references: vec![ArticleReference {
            id: "k".into(),
            text: "Kilde.".into(),
            url: Some("https://example.org/k".into()),
        }],
        author_name: Some("Kari Veileder".into()),
        published_on: published.into(),
        reviewed_on: published.into(),
    }
}

#[tokio::test]
async fn only_a_practice_admin_writes_articles_and_only_in_their_own_practice() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let a = s
            .create_article(&w.a_admin, input("en", "2026-11-20"), ArticleStatus::Draft)
            .await
            .unwrap();
        // A practice-admin therapist writes too; a therapist, a client and the other practice do not.
        s.create_article(&w.a_lead, input("to", "2026-11-20"), ArticleStatus::Draft)
            .await
            .unwrap();
        for who in [&w.a_t1, &w.a_c1] {
            assert!(matches!(
                s.create_article(who, input("tre", "2026-11-20"), ArticleStatus::Draft)
                    .await,
                Err(StoreError::Forbidden(_))
            ));
            assert!(matches!(
                s.practice_articles(who).await,
                Err(StoreError::Forbidden(_))
            ));
        }
        for result in [
            s.update_article(
                &w.b_admin,
                &a.id,
                input("en", "2026-11-21"),
                ArticleStatus::Published,
            )
            .await
            .map(|_| ()),
            s.set_article_status(&w.b_admin, &a.id, ArticleStatus::Published)
                .await,
            s.delete_article(&w.b_admin, &a.id).await,
            s.practice_article(&w.b_admin, &a.id).await.map(|_| ()),
        ] {
            assert!(
                matches!(result, Err(StoreError::NotFound { .. })),
                "{}: {result:?}",
                t.name
            );
        }
        assert!(s.practice_articles(&w.b_admin).await.unwrap().is_empty());
        assert_eq!(s.practice_articles(&w.a_admin).await.unwrap().len(), 2);
        // The public site of practice B sees none of A's.
        assert!(s.site_articles(&w.practice_b).await.unwrap().is_empty());
        let mine = s.practice_article(&w.a_admin, &a.id).await.unwrap();
        assert_eq!(mine.tags, ["integrering", "MDMA"]);
        assert_eq!(
            mine.references[0].url.as_deref(),
            Some("https://example.org/k")
        );
        assert_eq!(mine.author_name.as_deref(), Some("Kari Veileder"));
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn every_change_is_audited_and_the_first_published_date_stays_through_edits() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let a = s
            .create_article(&w.a_admin, input("en", "2026-11-20"), ArticleStatus::Draft)
            .await
            .unwrap();
        assert_eq!(a.first_published_on, None);
        let a = s
            .update_article(
                &w.a_admin,
                &a.id,
                input("en", "2026-11-21"),
                ArticleStatus::Published,
            )
            .await
            .unwrap();
        assert_eq!(a.first_published_on.as_deref(), Some("2026-11-21"));
        s.set_article_status(&w.a_admin, &a.id, ArticleStatus::Draft)
            .await
            .unwrap();
        // Setting the status it already has records nothing.
        s.set_article_status(&w.a_admin, &a.id, ArticleStatus::Draft)
            .await
            .unwrap();
        let later = s
            .update_article(
                &w.a_admin,
                &a.id,
                input("en", "2026-11-25"),
                ArticleStatus::Published,
            )
            .await
            .unwrap();
        assert_eq!(later.published_on, "2026-11-25");
        assert_eq!(
            later.first_published_on.as_deref(),
            Some("2026-11-21"),
            "{}",
            t.name
        );
        assert!(later.updated_at > a.updated_at);
        s.delete_article(&w.a_admin, &a.id).await.unwrap();
        let trail: Vec<String> = s
            .audit_events()
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.entity == "article" && e.entity_id == a.id)
            .map(|e| {
                assert_eq!(e.actor_id, w.a_admin.user_id);
                e.action
            })
            .collect();
        assert_eq!(
            trail,
            [
                "create",
                "update",
                "publish",
                "unpublish",
                "update",
                "publish",
                "delete"
            ],
            "{}",
            t.name
        );
        assert!(s.verify_audit().await.unwrap().is_ok());
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn a_taken_address_a_changed_address_and_a_bad_date_are_refused_and_change_nothing() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let a = s
            .create_article(
                &w.a_admin,
                input("en", "2026-11-20"),
                ArticleStatus::Published,
            )
            .await
            .unwrap();
        let events = s.audit_events().await.unwrap().len();
        assert!(matches!(
            s.create_article(&w.a_lead, input("en", "2026-11-22"), ArticleStatus::Draft)
                .await,
            Err(StoreError::Duplicate { field: "slug", .. })
        ));
        // The same address in another language is another language version, and allowed.
        let mut english = input("en", "2026-11-22");
        english.lang = "en".into();
        s.create_article(&w.a_admin, english, ArticleStatus::Draft)
            .await
            .unwrap();
        let events = events + 1;
        let mut moved = input("annen", "2026-11-22");
        assert!(matches!(
            s.update_article(&w.a_admin, &a.id, moved.clone(), ArticleStatus::Published)
                .await,
            Err(StoreError::Invalid { field: "slug", .. })
        ));
        moved.slug = "en".into();
        moved.lang = "sv".into();
        assert!(matches!(
            s.update_article(&w.a_admin, &a.id, moved, ArticleStatus::Published)
                .await,
            Err(StoreError::Invalid { field: "lang", .. })
        ));
        for (field, broken) in [
            ("published_on", {
                let mut i = input("ny", "20.11.2026");
                i.reviewed_on = "2026-11-20".into();
                i
            }),
            ("slug", input("Ikke En Adresse", "2026-11-20")),
            ("title", {
                let mut i = input("ny", "2026-11-20");
                i.title = "  ".into();
                i
            }),
        ] {
            match s
                .create_article(&w.a_admin, broken, ArticleStatus::Draft)
                .await
            {
                Err(StoreError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{}: {field}: {other:?}", t.name),
            }
        }
        // Nothing stored changed, and only the second language version's creation was recorded.
        assert_eq!(s.audit_events().await.unwrap().len(), events);
        let stored = s.practice_article(&w.a_admin, &a.id).await.unwrap();
        assert_eq!(stored, a);
        t.drop_schema().await;
    }
}
