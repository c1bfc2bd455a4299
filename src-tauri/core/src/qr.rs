//! PLACEHOLDER until the qr branch lands.
/// Placeholder.
pub fn decode_bytes(_bytes: &[u8], _source: &str) -> crate::error::Result<Vec<String>> {
    Ok(vec![])
}
