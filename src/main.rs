fn main() {
    println!("drizzle-drift");
}
