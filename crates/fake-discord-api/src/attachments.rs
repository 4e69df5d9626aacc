//! Files sent with a message, checked as Discord's "Uploading Files" describes them: each
//! `attachments[]` entry of the JSON body names a `files[n]` part by its `id` (and may rename
//! it with `filename`); at most 10 files; 10 MiB in all for a bot without boosts (more answers
//! 413, code 40005); and an embed may show a file of the same message as `attachment://name`,
//! which only works for a file of that name with an image extension (`png`, `jpg`, `jpeg`,
//! `webp`, `gif`). Discord does not refuse an embed that names no such file, it shows it
//! without the picture; the fake does the same and records the URL in the message's
//! `broken_images`, so a test can fail on it.

use serde_json::{Map, Value};

use crate::error::{ApiError, FormErrors, chars};
use crate::multipart::Upload;
use crate::records::File;

/// Discord's default upload limit per message (10 MiB).
pub(crate) const MAX_UPLOAD: usize = 10 * 1024 * 1024;
/// Files per message.
pub(crate) const MAX_FILES: usize = 10;
/// Extensions an embed may show through `attachment://`.
const EMBEDDABLE: [&str; 5] = ["png", "jpg", "jpeg", "webp", "gif"];

/// A file a message body adds, named as its `attachments[]` entry says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewFile {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// The files of a checked body: new uploads, and (for an edit) which existing attachments to
/// keep (`None`: the body had no `attachments`, so all are kept).
#[derive(Debug, Clone, Default)]
pub(crate) struct Files {
    pub new: Vec<NewFile>,
    pub keep: Option<Vec<u64>>,
}

/// Checks the uploads of a body against its `attachments` entries. `edit`: ids that name no
/// upload name attachments of the message to keep.
pub(crate) fn check_files(
    object: &Map<String, Value>,
    uploads: &[Upload],
    edit: bool,
) -> Result<Files, ApiError> {
    let total: usize = uploads.iter().map(|u| u.bytes.len()).sum();
    if total > MAX_UPLOAD {
        return Err(ApiError::entity_too_large());
    }
    let mut errors = FormErrors::default();
    if uploads.len() > MAX_FILES {
        errors.too_long("attachments", MAX_FILES);
    }
    let entries = match object.get("attachments") {
        None | Some(Value::Null) => None,
        Some(Value::Array(list)) => Some(list.as_slice()),
        Some(_) => {
            errors.add(
                "attachments",
                "LIST_TYPE_CONVERT",
                "Only iterables may be used in a ListType",
            );
            None
        }
    };
    let mut names: Vec<(u64, String)> = uploads
        .iter()
        .map(|u| (u.index, u.filename.clone()))
        .collect();
    let mut keep = Vec::new();
    for (i, entry) in entries.unwrap_or_default().iter().enumerate() {
        let path = format!("attachments.{i}");
        let Some(id) = entry.get("id").and_then(crate::json::snowflake) else {
            errors.required(&format!("{path}.id"));
            continue;
        };
        let filename = entry.get("filename").and_then(Value::as_str);
        match names.iter_mut().find(|(index, _)| *index == id) {
            Some((_, name)) => {
                if let Some(filename) = filename {
                    check_filename(filename, &format!("{path}.filename"), &mut errors);
                    *name = filename.to_string();
                }
            }
            None if edit => keep.push(id),
            None => errors.add(
                &format!("{path}.id"),
                "ATTACHMENT_NOT_FOUND",
                format!("No files[{id}] part was uploaded for this attachment"),
            ),
        }
    }
    errors.into_result()?;
    let new = uploads
        .iter()
        .zip(names)
        .map(|(upload, (_, filename))| NewFile {
            filename,
            bytes: upload.bytes.clone(),
        })
        .collect();
    Ok(Files {
        new,
        keep: entries.map(|_| keep),
    })
}

fn check_filename(filename: &str, path: &str, errors: &mut FormErrors) {
    if !(1..=1024).contains(&chars(filename)) {
        errors.bad_length(path, 1, 1024);
    }
}

/// Checks that an embed image or thumbnail URL has a scheme Discord takes.
pub(crate) fn check_image_urls(embed: &Value, at: &str, errors: &mut FormErrors) {
    for key in ["image", "thumbnail"] {
        let Some(url) = embed.pointer(&format!("/{key}/url")) else {
            continue;
        };
        let path = format!("{at}.{key}.url");
        match url.as_str() {
            Some(url)
                if ["https://", "http://", "attachment://"]
                    .iter()
                    .any(|s| url.starts_with(s)) => {}
            Some(url) => {
                let scheme = url.split_once("://").map_or("", |(s, _)| s);
                errors.add(
                    &path,
                    "URL_TYPE_INVALID_PROTOCOL",
                    format!("Scheme \"{scheme}\" is not supported. Scheme must be one of ('http', 'https')."),
                );
            }
            None => errors.required(&path),
        }
    }
}

/// The `attachment://` URLs of `embeds` that show nothing: no file of that name in `files`,
/// or a file Discord does not show as an image.
pub(crate) fn broken_images(embeds: &[Value], files: &[File]) -> Vec<String> {
    let urls = embeds.iter().flat_map(|embed| {
        ["/image/url", "/thumbnail/url"]
            .into_iter()
            .filter_map(|pointer| embed.pointer(pointer)?.as_str())
    });
    urls.filter(|url| {
        let Some(name) = url.strip_prefix("attachment://") else {
            return false;
        };
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let shown = extension.is_some_and(|e| EMBEDDABLE.contains(&e.as_str()));
        !(shown && files.iter().any(|f| f.filename == name))
    })
    .map(str::to_string)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn upload(index: u64, filename: &str, size: usize) -> Upload {
        Upload {
            index,
            filename: filename.to_string(),
            bytes: vec![7; size],
        }
    }

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn attachment_entries_name_uploads_and_may_rename_them() {
        let body = object(json!({ "attachments": [{ "id": 3, "filename": "chart.png" }] }));
        let files = check_files(&body, &[upload(3, "upload.bin", 4)], false).unwrap();
        assert_eq!(files.new[0].filename, "chart.png");
        let missing = object(json!({ "attachments": [{ "id": "9", "filename": "x.png" }] }));
        let error = check_files(&missing, &[upload(3, "a.png", 4)], false).unwrap_err();
        assert_eq!((error.status, error.code), (400, 50035));
        // In an edit, an id that names no upload keeps an attachment of the message.
        let kept = check_files(&missing, &[], true).unwrap();
        assert_eq!(kept.keep, Some(vec![9]));
    }

    #[test]
    fn ten_mebibytes_and_ten_files_at_most() {
        let body = object(json!({}));
        let full = [
            upload(0, "a.png", MAX_UPLOAD / 2),
            upload(1, "b.png", MAX_UPLOAD / 2),
        ];
        assert!(check_files(&body, &full, false).is_ok());
        let over = [
            upload(0, "a.png", MAX_UPLOAD / 2),
            upload(1, "b.png", MAX_UPLOAD / 2 + 1),
        ];
        let error = check_files(&body, &over, false).unwrap_err();
        assert_eq!((error.status, error.code), (413, 40005));
        let eleven: Vec<_> = (0..11).map(|i| upload(i, "f.png", 1)).collect();
        assert_eq!(check_files(&body, &eleven, false).unwrap_err().code, 50035);
    }

    #[test]
    fn an_embed_image_shows_only_an_uploaded_picture_of_its_name() {
        let file = |name: &str| File {
            id: 1,
            filename: name.to_string(),
            size: 1,
            bytes: vec![1],
        };
        let embeds = [json!({ "image": { "url": "attachment://stats.png" } })];
        assert!(broken_images(&embeds, &[file("stats.png")]).is_empty());
        assert_eq!(
            broken_images(&embeds, &[file("other.png")]),
            ["attachment://stats.png"]
        );
        let text = [json!({ "image": { "url": "attachment://notes.txt" } })];
        assert_eq!(broken_images(&text, &[file("notes.txt")]).len(), 1);
        let linked = [json!({ "image": { "url": "https://example.org/a.png" } })];
        assert!(broken_images(&linked, &[]).is_empty());
    }

    #[test]
    fn image_urls_need_a_scheme_discord_takes() {
        let mut errors = FormErrors::default();
        check_image_urls(
            &json!({ "image": { "url": "ftp://x/a.png" } }),
            "embeds.0",
            &mut errors,
        );
        assert!(!errors.is_empty());
        let mut errors = FormErrors::default();
        check_image_urls(
            &json!({ "image": { "url": "attachment://a.png" } }),
            "embeds.0",
            &mut errors,
        );
        assert!(errors.is_empty());
    }
}
