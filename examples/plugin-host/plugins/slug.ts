// slug turns ?text= into a URL slug with a package imported by its npm name.
import slugify from "@example/slug";

export default {
	fetch(req: { query: Record<string, string> }) {
		return { status: 200, headers: { "content-type": "text/plain" }, body: slugify(req.query.text ?? "") };
	},
};
