// Fonts for the studio: the list (bundled and user fonts), a font_name resolved inside the font
// folders, and its bytes for @font-face previews.
import { badRequest } from '../core/errors';
import type { FileBody, FontEntry } from '../core/service';
import { listFonts, resolveFont, type FontDirs } from '../engines/typography/fonts';
import { fileBody } from './static-files';

export class Fonts {
  constructor(private readonly dirs: FontDirs) {}

  list(): FontEntry[] {
    return listFonts(this.dirs);
  }

  /** Absolute path for a font_name; AppError 400 when unknown or outside the font folders. */
  resolve(name: string): string {
    return resolveFont(name, this.dirs);
  }

  async file(name: string): Promise<FileBody> {
    if (!name) throw badRequest('name is required: a font name as listed by GET /api/fonts', 'name');
    return fileBody(this.resolve(name));
  }
}
