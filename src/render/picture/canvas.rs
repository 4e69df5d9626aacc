//! The few shapes the pictures need (filled and outlined boxes, a line)
//! on a plotters bitmap, and the PNG encoding of the result.

use plotters::prelude::*;

use super::Png;

pub const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
/// Empty cells and bar tracks.
pub const EMPTY: RGBColor = RGBColor(235, 237, 240);
/// Outlines (today) and the retention curve.
pub const INK: RGBColor = RGBColor(36, 41, 47);
/// Faint guide lines.
pub const GUIDE: RGBColor = RGBColor(208, 215, 222);
/// Four shades of activity, lightest first (GitHub's greens).
pub const SHADES: [RGBColor; 4] = [
    RGBColor(155, 233, 168),
    RGBColor(64, 196, 99),
    RGBColor(48, 161, 78),
    RGBColor(33, 110, 57),
];
pub const PEOPLE: RGBColor = RGBColor(84, 174, 255);
pub const AGAIN: RGBColor = RGBColor(207, 34, 46);

/// An RGB drawing surface of a fixed size.
pub struct Canvas {
    pixels: Vec<u8>,
    width: u32,
    height: u32,
}

/// What a picture asks to draw, in pixel coordinates (x right, y down).
pub enum Shape {
    Fill {
        from: (i32, i32),
        to: (i32, i32),
        color: RGBColor,
    },
    Outline {
        from: (i32, i32),
        to: (i32, i32),
        color: RGBColor,
    },
    Line {
        points: Vec<(i32, i32)>,
        color: RGBColor,
        width: u32,
    },
}

impl Canvas {
    pub fn new(width: u32, height: u32) -> Canvas {
        Canvas {
            pixels: vec![0; (width * height * 3) as usize],
            width,
            height,
        }
    }

    /// Draws `shapes` in order over a white background.
    pub fn draw(&mut self, shapes: &[Shape]) {
        let area = BitMapBackend::with_buffer(&mut self.pixels, (self.width, self.height))
            .into_drawing_area();
        // Drawing into a buffer of the right size cannot fail; a failure
        // would leave the picture blank rather than stop the bot.
        let _ = area.fill(&BACKGROUND);
        for shape in shapes {
            let _ = match shape {
                Shape::Fill { from, to, color } => {
                    area.draw(&Rectangle::new([*from, *to], color.filled()))
                }
                Shape::Outline { from, to, color } => {
                    area.draw(&Rectangle::new([*from, *to], color.stroke_width(1)))
                }
                Shape::Line {
                    points,
                    color,
                    width,
                } => area.draw(&PathElement::new(
                    points.clone(),
                    color.stroke_width(*width),
                )),
            };
        }
        let _ = area.present();
    }

    /// The picture as a PNG (8-bit RGB, best compression: the pictures are
    /// flat colours, so they stay a few kilobytes).
    pub fn encode(self) -> Png {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::High);
        let written = encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(&self.pixels));
        if let Err(e) = written {
            // Only an I/O error of the Vec could cause this: none exists.
            log::warn!("could not encode a picture: {e}");
            bytes.clear();
        }
        Png {
            bytes,
            width: self.width,
            height: self.height,
        }
    }
}

/// The shade for `count` when the busiest day has `max`: four steps.
pub fn shade(count: u32, max: u32) -> RGBColor {
    if count == 0 || max == 0 {
        return EMPTY;
    }
    let step = (count as usize * SHADES.len()).div_ceil(max as usize);
    SHADES[step.clamp(1, SHADES.len()) - 1]
}
